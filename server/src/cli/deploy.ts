import { parseArgs } from 'node:util';
import type { DeploymentStatus } from '@certdesk/shared';
import { systemClock } from '../clock.js';
import type { Config } from '../config.js';
import { connectSsh } from '../deploy/ssh-transport.js';
import { AppError } from '../errors.js';
import { AuditService } from '../services/audit-service.js';
import { consoleUrl } from '../services/console-url.js';
import { DeployService } from '../services/deploy-service.js';
import { EventBus } from '../services/events.js';
import { NotifyService } from '../services/notify-service.js';
import { AuditLogStore } from '../store/audit-log.js';
import { DeployLeaseStore } from '../store/deploy-leases.js';
import { DeployTargetStore } from '../store/deploy-targets.js';
import { DeploymentStore } from '../store/deployments.js';
import { KeyEncryption } from '../store/key-encryption.js';
import { KvStore } from '../store/kv.js';
import { NotificationOutboxStore } from '../store/notification-outbox.js';
import { NotificationSettingsStore } from '../store/notification-settings.js';
import {
  type Command,
  openStores,
  parseCommandArgs,
  print,
  printErr,
  usageError,
  wantsJson,
  withExitCodes,
} from './common.js';

/**
 * `certdesk deploy <target|--all>`: the deployment of POST /api/targets/:id/deploy, from cron or a
 * renewal script. Same checks, same rollback, audited as 'cli'. Exit 0 when every target is deployed,
 * 2 when any failed (each one's outcome is printed either way).
 */

const USAGE = `<target-name-or-id>... | --all [--json]

Deploys each named target (or every target with --all): writes its files, runs its hook, checks the
served certificate, and puts the previous files back on any failure.

Options:
  --all     every target
  --json    print [{ "target", "status", "message", ... }] instead of one line per target

Example: certdesk deploy web-nginx mail-postfix`;

const OPTIONS = {
  all: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
} as const;

interface Outcome {
  target: string;
  id: number | null;
  status: DeploymentStatus | 'refused';
  message: string;
  step?: string | null;
  fingerprintSha256?: string | null;
}

function openDeploy(config: Config) {
  const stores = openStores(config, { keys: true });
  const events = new EventBus((event, err) =>
    printErr(`certdesk deploy: ${event} listener failed: ${(err as Error).message}`),
  );
  const kek = KeyEncryption.open(config.dataDir);
  const service = new DeployService({
    db: stores.db,
    certificates: stores.certificates,
    privateKeys: stores.privateKeys!,
    deployTargets: new DeployTargetStore(stores.db, kek),
    deployments: new DeploymentStore(stores.db),
    deployLeases: new DeployLeaseStore(stores.db),
    audit: new AuditService(new AuditLogStore(stores.db)),
    events,
    clock: systemClock,
    settings: config.deploy,
    connectSsh,
  });
  // A failed deployment from cron is told like one from the console: same outbox, same channels.
  const notifier = new NotifyService({
    outbox: new NotificationOutboxStore(stores.db),
    settings: new NotificationSettingsStore(new KvStore(stores.db), kek),
    certificates: stores.certificates,
    trustAnchors: stores.trustAnchors,
    events,
    clock: systemClock,
    log: {
      warn: (o, msg) => printErr(`certdesk deploy: ${msg} ${JSON.stringify(o)}`),
      error: (o, msg) => printErr(`certdesk deploy: ${msg} ${JSON.stringify(o)}`),
    },
    consoleUrl: () => consoleUrl(config.host, stores.settings.serverSettings()),
  });
  notifier.start();
  return {
    service,
    close: async () => {
      await notifier.flush();
      notifier.stop();
      stores.close();
    },
  };
}

export const deployCommand: Command = {
  summary: 'Deploy certificates to their targets (files, reload hook, TLS check, rollback on failure).',
  usage: USAGE,
  run: (args, config) =>
    withExitCodes('deploy', wantsJson(args), async () => {
      const { values, positionals } = parseCommandArgs(args, () =>
        parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true }),
      );
      if (values.all && positionals.length > 0)
        throw usageError('Give target names or --all, not both.', '--all');
      if (!values.all && positionals.length === 0) throw usageError('Give a target name or id, or --all.');
      const { service, close } = openDeploy(config);
      const cli = { user: { username: 'cli' } };
      try {
        const targets = values.all ? service.list().map((t) => String(t.id)) : positionals;
        if (values.all && targets.length === 0) printErr('No deployment targets are defined.');
        const outcomes: Outcome[] = [];
        for (const ref of targets) {
          let name = ref;
          let id: number | null = null;
          try {
            const t = service.resolve(ref);
            [name, id] = [t.name, t.id];
            const d = await service.deploy(t.id, cli, 'cli');
            outcomes.push({
              target: name,
              id,
              status: d.status,
              message: d.message,
              fingerprintSha256: d.fingerprintSha256,
            });
          } catch (err) {
            if (!(err instanceof AppError)) throw err;
            const details = err.details as { status?: DeploymentStatus; step?: string | null };
            outcomes.push({
              target: name,
              id,
              status: details.status ?? 'refused',
              message: `${err.code}: ${err.message}`,
              step: details.step,
            });
          }
        }
        if (values.json) print(JSON.stringify(outcomes, null, 2));
        else {
          for (const o of outcomes) {
            const detail =
              o.status === 'deployed'
                ? `SHA-256 ${o.fingerprintSha256}`
                : `${o.step ? `at step ${o.step}: ` : ''}${o.message}`;
            print(`${o.target}: ${o.status} (${detail})`);
          }
        }
        return outcomes.every((o) => o.status === 'deployed') ? 0 : 2;
      } finally {
        await close();
      }
    }),
};

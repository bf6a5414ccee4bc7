import { parseArgs } from 'node:util';
import { buildApp } from '../build-app.js';
import type { Config } from '../config.js';
import {
  type Command,
  openStores,
  parseCommandArgs,
  print,
  usageError,
  wantsJson,
  withExitCodes,
} from './common.js';

/**
 * `certdesk acme renew-due`: one pass of the renewal scheduler, from cron or by hand, on the server's own
 * database (running or stopped). It is the application the server builds, without listeners, so a renewal
 * is imported, promoted and delivered to its targets exactly as the server's own timer would do it.
 * HTTP-01 is answered by the console's listener from the database: with the server stopped, only DNS-01
 * renewals can succeed. Exit 0 when nothing failed, 2 when any renewal failed (each is printed).
 */

const USAGE = `renew-due [--json]

Runs one renewal pass now: every ACME certificate inside its ARI window (or past the configured share of
its lifetime) is ordered again, at most a few per pass, as the server's scheduler does.

Options:
  --json    print { "checked", "renewed": [...], "failed": [...] }`;

const OPTIONS = { json: { type: 'boolean', default: false } } as const;

interface Renewed {
  certificateId: number;
  newCertificateId: number;
  name: string;
}
interface Failed {
  certificateId: number;
  name: string;
  attempt: number;
  message: string;
}

async function renewDue(config: Config, json: boolean): Promise<number> {
  // Refuses a data directory without a database or KEK before the app would create fresh ones.
  openStores(config, { keys: true }).close();
  const app = await buildApp(config, { logger: false });
  try {
    const label = (id: number) => {
      const row = app.certificates.get(id);
      return row?.name ?? row?.common_name ?? `#${id}`;
    };
    const renewed: Renewed[] = [];
    const failed: Failed[] = [];
    app.events.on('certificate-replaced', (e) => {
      if (e.reason === 'renew')
        renewed.push({ certificateId: e.from, newCertificateId: e.to, name: label(e.to) });
    });
    app.events.on('renewal-failed', (e) => {
      failed.push({
        certificateId: e.certificateId,
        name: label(e.certificateId),
        attempt: e.attempt,
        message: e.message,
      });
    });
    const pass = await app.renewalScheduler.runOnce();
    // Renewed or failed: told now by e-mail or webhook, as the server would (what cannot go out stays queued).
    await app.notifier.flush();
    if (json) print(JSON.stringify({ checked: pass.checked, renewed, failed }, null, 2));
    else {
      for (const r of renewed)
        print(`${r.name}: renewed (certificate #${r.certificateId} → #${r.newCertificateId})`);
      for (const f of failed) print(`${f.name}: renewal failed (attempt ${f.attempt}): ${f.message}`);
      if (renewed.length === 0 && failed.length === 0)
        print(`Nothing was due (${pass.checked} certificate(s) looked at).`);
    }
    return failed.length > 0 ? 2 : 0;
  } finally {
    await app.close();
  }
}

export const acmeCommand: Command = {
  summary: 'ACME: "renew-due" runs one renewal pass now and prints what was renewed or failed.',
  usage: USAGE,
  run: (args, config) =>
    withExitCodes('acme', wantsJson(args), async () => {
      const { values, positionals } = parseCommandArgs(args, () =>
        parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true }),
      );
      const [action, ...rest] = positionals;
      if (action !== 'renew-due') throw usageError('Give the action: renew-due.');
      if (rest.length > 0) throw usageError(`Unexpected argument "${rest[0]}".`);
      return renewDue(config, values.json);
    }),
};

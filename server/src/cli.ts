import fs from 'node:fs';
import path from 'node:path';
import { exportCommand } from './cli/export.js';
import { importCommand } from './cli/import.js';
import { listCommand } from './cli/list.js';
import { type Config, loadConfig } from './config.js';
import { nowIso, openDatabase } from './db/open.js';
import { clearPending, readPending, writeLastRevert } from './store/pending-changes.js';
import { defaultServerSettings, readServerSettings, writeServerSettings } from './store/server-settings.js';

/**
 * `certdesk <command>` with the same CERTDESK_* environment as the server (API.md "Command line").
 * Commands work on the SQLite file directly; WAL lets them run while the server is up, and the server
 * notices settings changes within a few seconds.
 */
export interface Command {
  summary: string;
  usage?: string;
  run(args: string[], config: Config): Promise<number> | number;
}

/** Later commands (import, list, export, switch) register here. */
export const commands: Record<string, Command> = {
  'reset-https': {
    summary: 'Turn HTTPS mode off and serve the console over HTTP again (server running or stopped).',
    run(_args, config) {
      if (!fs.existsSync(path.join(config.dataDir, 'certdesk.db'))) {
        console.log(`No certdesk database in ${config.dataDir}: the console already starts in HTTP mode.`);
        return 0;
      }
      const db = openDatabase(config.dataDir);
      try {
        const before = readServerSettings(db, defaultServerSettings(config.httpPort, config.httpsPort));
        const pending = readPending(db);
        db.transaction(() => {
          writeServerSettings(db, { ...before, httpsEnabled: false });
          clearPending(db);
          writeLastRevert(db, {
            at: nowIso(),
            reason: 'HTTPS was turned off from the command line (certdesk reset-https).',
            changes: pending ? pending.changes : ['httpsEnabled'],
          });
          db.prepare(
            'INSERT INTO audit_log (at, actor, action, target, ip, details) VALUES (?, ?, ?, ?, ?, ?)',
          ).run(
            nowIso(),
            'cli',
            'settings.server.reset-https',
            null,
            null,
            JSON.stringify({ wasHttpsEnabled: before.httpsEnabled, hadPendingChange: pending !== null }),
          );
        })();
        const state = before.httpsEnabled || pending ? 'HTTPS mode is now off' : 'HTTPS mode was already off';
        console.log(
          `${state}. The console serves http://${config.host}:${before.httpPort}/ (a running server switches within a few seconds).`,
        );
        return 0;
      } finally {
        db.close();
      }
    },
  },
  import: importCommand,
  list: listCommand,
  export: exportCommand,
};

function help(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: certdesk <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Configuration comes from the environment: CERTDESK_DATA_DIR (default ./data), CERTDESK_HOST, CERTDESK_HTTP_PORT, CERTDESK_HTTPS_PORT.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return 0;
  }
  const command = commands[name];
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${help()}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    console.log(`certdesk ${name}${command.usage ? ` ${command.usage}` : ''}\n\n${command.summary}`);
    return 0;
  }
  try {
    return await command.run(args, loadConfig());
  } catch (err) {
    console.error(`certdesk ${name}: ${(err as Error).message}`);
    return 1;
  }
}

const invoked = process.argv[1] ? path.resolve(process.argv[1]) : '';
// Run when started as a script (`node server/dist/cli.js`); bin/certdesk.js imports it and calls main().
if (/[\\/]cli\.[jt]s$/.test(invoked)) {
  process.exitCode = await main(process.argv.slice(2));
}

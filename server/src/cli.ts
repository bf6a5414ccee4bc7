import path from 'node:path';
import { acmeCommand } from './cli/acme.js';
import type { Command } from './cli/common.js';
import { deployCommand } from './cli/deploy.js';
import { exportCommand } from './cli/export.js';
import { importCommand } from './cli/import.js';
import { listCommand } from './cli/list.js';
import { resetHttpsCommand } from './cli/reset-https.js';
import { userCommand } from './cli/user.js';
import { loadConfig } from './config.js';

export type { Command } from './cli/common.js';

/**
 * `certdesk <command>` with the same CERTDESK_* environment as the server (API.md "Command line").
 * Commands work on the SQLite file directly; WAL lets them run while the server is up, and the server
 * notices settings changes within a few seconds.
 */
export const commands: Record<string, Command> = {
  'reset-https': resetHttpsCommand,
  import: importCommand,
  list: listCommand,
  export: exportCommand,
  deploy: deployCommand,
  user: userCommand,
  acme: acmeCommand,
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

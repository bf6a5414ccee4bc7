import { execFile } from 'node:child_process';
import fs from 'node:fs';

/**
 * DNS-01 through a hook the server's owner declared in CERTDESK_DEPLOY_HOOKS (API.md "Deployment
 * targets": `{ "<name>": { "command": [argv…], "timeoutSeconds"?: n } }`, no shell). The browser only
 * names a hook; the command comes from the file. The hook gets the record name and value as two extra
 * arguments and must return once the record is published.
 * Minimal reading of the same format as the deployment targets' hooks, until both share one parser.
 */

export interface Hook {
  command: string[];
  timeoutSeconds: number;
}

export function readHooks(file: string | undefined): Map<string, Hook> {
  const hooks = new Map<string, Hook>();
  if (!file) return hooks;
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`${file} must hold a JSON object of hooks`);
  }
  for (const [name, value] of Object.entries(parsed)) {
    const v = value as { command?: unknown; timeoutSeconds?: unknown };
    if (
      !Array.isArray(v?.command) ||
      v.command.length === 0 ||
      !v.command.every((a) => typeof a === 'string')
    ) {
      throw new Error(`${file}: hook "${name}" needs "command": ["program", "arg", …]`);
    }
    const timeout = typeof v.timeoutSeconds === 'number' && v.timeoutSeconds > 0 ? v.timeoutSeconds : 60;
    hooks.set(name, { command: v.command as string[], timeoutSeconds: timeout });
  }
  return hooks;
}

/** Runs the hook with `name value` appended; rejects with its stderr's last line when it fails. */
export function runDnsHook(hook: Hook, recordName: string, value: string): Promise<void> {
  const [program, ...args] = hook.command as [string, ...string[]];
  return new Promise((resolve, reject) => {
    execFile(
      program,
      [...args, recordName, value],
      { timeout: hook.timeoutSeconds * 1000, maxBuffer: 64 * 1024, killSignal: 'SIGKILL' },
      (err, _stdout, stderr) => {
        if (!err) return resolve();
        const last = String(stderr).trim().split('\n').pop()?.slice(0, 300);
        const why = err.killed
          ? `did not finish within ${hook.timeoutSeconds} s`
          : `failed (${last || err.message})`;
        reject(new Error(`The DNS hook ${why}.`));
      },
    );
  });
}

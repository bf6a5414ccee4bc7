import { execFile } from 'node:child_process';

/**
 * DNS-01 through a hook the server's owner declared in CERTDESK_DEPLOY_HOOKS (API.md "Deployment
 * targets": `{ "<name>": { "command": [argv…], "timeoutSeconds"?: n } }`, no shell). The browser only
 * names a hook; the command comes from the file. The hook gets the record name and value as two extra
 * arguments and must return once the record is published.
 * The file is read once, by deploy/deploy-config.ts, for deployments and DNS-01 alike.
 */

export interface Hook {
  command: string[];
  timeoutSeconds: number;
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

import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ADMIN_PASSWORD, CONFIRM_SECONDS, HOST, HTTP_PORT, HTTPS_PORT, WEB_DIST } from './env.js';

export interface ExtraServer {
  baseURL: string;
  stop: () => Promise<void>;
}

/**
 * A third certdesk on a fresh data directory (ports +2 above the main ones), for what needs a server of its
 * own: an empty inventory, say, while the shared server holds every other spec's certificates.
 */
export async function startExtraServer(): Promise<ExtraServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-e2e-extra-'));
  const httpPort = HTTP_PORT + 2;
  const baseURL = `http://${HOST}:${httpPort}`;
  const child: ChildProcess = spawn(process.execPath, ['../server/dist/server.js'], {
    cwd: path.join(import.meta.dirname, '..'),
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      CERTDESK_DATA_DIR: dataDir,
      CERTDESK_HOST: HOST,
      CERTDESK_WEB_DIST: WEB_DIST,
      CERTDESK_ADMIN_PASSWORD: ADMIN_PASSWORD,
      CERTDESK_HTTP_PORT: String(httpPort),
      CERTDESK_HTTPS_PORT: String(HTTPS_PORT + 2),
      CERTDESK_HTTPS_CONFIRM_SECONDS: String(CONFIRM_SECONDS),
    },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  for (let attempt = 0; attempt < 120; attempt++) {
    if (child.exitCode !== null) break;
    const ok = await fetch(`${baseURL}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { baseURL, stop };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await stop();
  throw new Error(`the extra certdesk server did not start on ${baseURL}:\n${stderr}`);
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type BuildHooks, buildApp } from '../../src/build-app.js';
import { type Config, loadConfig } from '../../src/config.js';

export const ADMIN_PASSWORD = 'correct horse battery staple';

export type TestApp = Awaited<ReturnType<typeof buildApp>>;

/** A temporary data directory, removed by the returned cleanup. */
export function tempDir(prefix = 'certdesk-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * The real app (same options as production) on a fresh temporary SQLite file, with user `admin`
 * created from CERTDESK_ADMIN_PASSWORD as an unattended install would. Logs are silent unless LOG=1.
 */
export async function createTestApp(
  env: Record<string, string | undefined> = {},
  hooks: BuildHooks = {},
): Promise<{
  app: TestApp;
  config: Config;
  dataDir: string;
  close: () => Promise<void>;
}> {
  const dataDir = tempDir();
  const config = loadConfig({
    CERTDESK_DATA_DIR: dataDir,
    CERTDESK_ADMIN_PASSWORD: ADMIN_PASSWORD,
    CERTDESK_LOG_LEVEL: process.env.LOG ? 'debug' : 'silent',
    CERTDESK_WEB_DIST: '/nonexistent',
    ...env,
  });
  const app = await buildApp(config, {}, hooks);
  return {
    app,
    config,
    dataDir,
    close: async () => {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Session {
  cookie: string;
  csrfToken: string;
  /** Headers for a state-changing request with this session. */
  headers: { cookie: string; 'x-csrf-token': string };
}

/** Signs in through the real login route and returns the cookie and CSRF token. */
export async function login(app: TestApp, username = 'admin', password = ADMIN_PASSWORD): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const setCookie = res.headers['set-cookie'];
  const raw = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  const cookie = String(raw).split(';')[0] as string;
  const { csrfToken } = res.json() as { csrfToken: string };
  return { cookie, csrfToken, headers: { cookie, 'x-csrf-token': csrfToken } };
}

/**
 * Takes the new session cookie from an answer that rotated it (confirming the switch to HTTPS does), as
 * a browser would; the CSRF token stays. Returns whether the answer set one.
 */
export function adoptSessionCookie(session: Session, setCookie: string | string[] | undefined): boolean {
  const raw = [setCookie ?? []].flat().find((c) => c.startsWith('certdesk_session='));
  if (!raw) return false;
  session.cookie = raw.split(';')[0] as string;
  session.headers.cookie = session.cookie;
  return true;
}

/** Builds a multipart/form-data body for app.inject. */
export function multipart(
  parts: Array<
    | { name: string; value: string }
    | { name: string; filename: string; data: Buffer | string; contentType?: string }
  >,
): { payload: Buffer; headers: { 'content-type': string } } {
  const boundary = `----certdesk${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n`));
    if ('filename' in part) {
      chunks.push(
        Buffer.from(
          `Content-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\n` +
            `Content-Type: ${part.contentType ?? 'application/octet-stream'}\r\n\r\n`,
        ),
      );
      chunks.push(Buffer.isBuffer(part.data) ? part.data : Buffer.from(part.data));
    } else {
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}`));
    }
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

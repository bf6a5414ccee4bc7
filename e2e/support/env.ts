import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The e2e environment, in one place. Loaded first by playwright.config.ts in the runner process; the temp data
 * directories are created there once and passed on through E2E_* variables, which the workers inherit, so every
 * worker and both web servers agree on them. The directories are left behind on purpose: after a failure the
 * server's SQLite file and keys are there to look at.
 */
function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

function tempDirFromEnv(name: string, prefix: string): string {
  const existing = process.env[name];
  if (existing) return existing;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.env[name] = dir;
  return dir;
}

export const ADMIN_USER = 'admin';
export const ADMIN_PASSWORD = process.env.E2E_ADMIN_PASSWORD || 'e2e correct horse battery staple';

export const HTTP_PORT = intFromEnv('E2E_HTTP_PORT', 18080);
export const HTTPS_PORT = intFromEnv('E2E_HTTPS_PORT', 18443);
export const CONFIRM_SECONDS = intFromEnv('E2E_CONFIRM_SECONDS', 15);
export const HOST = '127.0.0.1';

export const BASE_URL = `http://${HOST}:${HTTP_PORT}`;
export const HTTPS_BASE_URL = `https://${HOST}:${HTTPS_PORT}`;
/** The main server's data directory (admin created from CERTDESK_ADMIN_PASSWORD). */
export const DATA_DIR = tempDirFromEnv('E2E_DATA_DIR', 'certdesk-e2e-');

/**
 * Deployment (issue 12): the main server may write under DEPLOY_ROOT and run the two hooks of
 * DEPLOY_HOOKS_FILE — one that succeeds, one that fails like a reload refusing the new files.
 */
export const DEPLOY_ROOT = tempDirFromEnv('E2E_DEPLOY_ROOT', 'certdesk-e2e-deploy-');
export const DEPLOY_HOOKS_FILE = path.join(DEPLOY_ROOT, '..', `${path.basename(DEPLOY_ROOT)}-hooks.json`);
if (!fs.existsSync(DEPLOY_HOOKS_FILE)) {
  fs.writeFileSync(
    DEPLOY_HOOKS_FILE,
    JSON.stringify({
      'reload-ok': { command: ['/bin/true'], timeoutSeconds: 10 },
      'reload-fails': {
        command: ['/bin/sh', '-c', 'echo "nginx: [emerg] cannot load certificate key" >&2; exit 1'],
        timeoutSeconds: 10,
      },
    }),
  );
}

/** A second server with no administrator, for the first-run setup test. */
export const FIRST_RUN_HTTP_PORT = HTTP_PORT + 1;
export const FIRST_RUN_HTTPS_PORT = HTTPS_PORT + 1;
export const FIRST_RUN_BASE_URL = `http://${HOST}:${FIRST_RUN_HTTP_PORT}`;
export const FIRST_RUN_DATA_DIR = tempDirFromEnv('E2E_FIRST_RUN_DATA_DIR', 'certdesk-e2e-first-run-');

/**
 * A private copy of web/dist taken when the run starts (served via CERTDESK_WEB_DIST): a `npm run build -w web`
 * in the same checkout during a run would otherwise pull the files out from under the browser.
 */
function snapshotWebDist(): string {
  const existing = process.env.E2E_WEB_DIST;
  if (existing) return existing;
  const source = path.join(import.meta.dirname, '..', '..', 'web', 'dist');
  if (!fs.existsSync(path.join(source, 'index.html'))) {
    throw new Error(`${source}/index.html is missing: run "npm run build" at the repository root first`);
  }
  const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-e2e-web-')), 'dist');
  fs.cpSync(source, copy, { recursive: true });
  process.env.E2E_WEB_DIST = copy;
  return copy;
}
export const WEB_DIST = snapshotWebDist();

/**
 * Where the `setup` project leaves the signed-in admin's cookies for every other test. Cookies ignore ports,
 * so a second run on other ports in the same checkout gets its own file: with one shared file, that run's
 * sign-in would overwrite this run's session mid-way.
 */
export const AUTH_STATE = path.join(
  import.meta.dirname,
  '..',
  '.auth',
  HTTP_PORT === 18080 ? 'admin.json' : `admin-${HTTP_PORT}.json`,
);

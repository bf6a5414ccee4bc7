/**
 * Makes docs/screenshot.png (the README picture): starts the BUILT server on a throw-away data directory,
 * fills it the way an administrator would (a private CA trusted as anchor, a few certificates with their
 * keys, one of them serving HTTPS, a CSR waiting for its certificate) and photographs the dashboard.
 *
 *   npm run build && npx tsx e2e/tools/docs-screenshot.ts [out.png]
 *
 * Not a test: nothing is asserted beyond "each step answered as documented".
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type APIRequestContext, chromium, request } from '@playwright/test';
import { TestPki } from '../../server/test/support/pki.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const out = path.resolve(process.argv[2] ?? path.join(root, 'docs', 'screenshot.png'));
const httpPort = Number(process.env.SHOT_HTTP_PORT ?? 18580);
const httpsPort = httpPort + 1;
const password = 'docs screenshot passphrase';
const base = `http://127.0.0.1:${httpPort}`;

async function waitForHealth(server: ChildProcess): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (server.exitCode !== null) throw new Error(`the server exited with ${server.exitCode}`);
    const ok = await fetch(`${base}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('the server did not become healthy within 20 s');
}

async function check(what: string, response: Awaited<ReturnType<APIRequestContext['post']>>, ok: number[]) {
  if (!ok.includes(response.status()))
    throw new Error(`${what}: ${response.status()} ${await response.text()}`);
  return response;
}

function files(parts: Record<string, string | Buffer>): FormData {
  const form = new FormData();
  for (const [name, data] of Object.entries(parts))
    form.append('file', new Blob([new Uint8Array(Buffer.from(data))]), name);
  return form;
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-docs-'));
const server = spawn(process.execPath, [path.join(root, 'server', 'dist', 'server.js')], {
  env: {
    ...process.env,
    CERTDESK_DATA_DIR: dataDir,
    CERTDESK_ADMIN_PASSWORD: password,
    CERTDESK_HTTP_PORT: String(httpPort),
    CERTDESK_HTTPS_PORT: String(httpsPort),
  },
  stdio: 'ignore',
});
const pki = new TestPki();

try {
  await waitForHealth(server);
  const api = await request.newContext({ baseURL: base, ignoreHTTPSErrors: true });
  const login = await check(
    'sign in',
    await api.post('/api/auth/login', { data: { username: 'admin', password } }),
    [200],
  );
  const headers = { 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken };

  const ca = pki.root('Example Corp Root CA 2026', {
    key: 'rsa2048',
    subject: '/CN=Example Corp Root CA 2026/O=Example Corp/C=US',
  });
  const issuing = pki.intermediate('Example Corp TLS Issuing CA', ca, {
    subject: '/CN=Example Corp TLS Issuing CA/O=Example Corp/C=US',
  });
  const anchor = new FormData();
  anchor.append('file', new Blob([new Uint8Array(ca.certDer)]), 'root.cer');
  await check('trust anchor', await api.post('/api/trust-anchors', { headers, multipart: anchor }), [201]);

  const certs: [string, number, string[]][] = [
    ['console.example.com', 240, ['DNS:console.example.com', 'DNS:localhost', 'IP:127.0.0.1']],
    ['api.example.com', 9, ['DNS:api.example.com']],
    ['mail.example.com', 24, ['DNS:mail.example.com', 'DNS:smtp.example.com']],
    ['vpn.example.com', 180, ['DNS:vpn.example.com']],
    ['intranet.example.com', 365, ['DNS:intranet.example.com', 'DNS:wiki.example.com']],
  ];
  let consoleId = 0;
  for (const [cn, days, sans] of certs) {
    const leaf = pki.leaf(cn, issuing, {
      key: 'ec256',
      sans,
      endDays: days,
      subject: `/CN=${cn}/O=Example Corp/C=US`,
    });
    const res = await check(
      `import ${cn}`,
      await api.post('/api/certificates', {
        headers,
        multipart: files({
          [`${cn}.crt`]: leaf.certPem,
          [`${cn}.key`]: leaf.keyPem,
          'issuing.pem': issuing.certPem,
        }),
      }),
      [201],
    );
    if (cn.startsWith('console.')) consoleId = ((await res.json()) as { id: number }).id;
  }

  await check(
    'CSR',
    await api.post('/api/csrs', {
      headers,
      data: {
        commonName: 'shop.example.com',
        subjectAltNames: ['shop.example.com'],
        organization: 'Example Corp',
        country: 'US',
        keyType: 'ec',
        curve: 'P-256',
      },
    }),
    [201],
  );

  // HTTPS on with the console certificate; the change is confirmed over the new listener, as the UI does.
  const put = await api.put('/api/settings/server', {
    headers,
    data: {
      httpsEnabled: true,
      activeCertificateId: consoleId,
      serverNames: ['127.0.0.1'],
      redirectHttp: false,
    },
  });
  if (put.status() === 202) {
    await check(
      'confirm HTTPS',
      await api.post(`https://127.0.0.1:${httpsPort}/api/settings/server/confirm`, { headers }),
      [200],
    );
  } else if (put.status() !== 200) {
    console.warn(`HTTPS not switched on for the picture: ${put.status()} ${await put.text()}`);
  }

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  const context = await browser.newContext({
    viewport: { width: 1280, height: 860 },
    storageState: await api.storageState(),
  });
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
  await page.waitForLoadState('networkidle');
  await page.evaluate('document.fonts.ready');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await page.screenshot({ path: out, animations: 'disabled', caret: 'hide' });
  console.log(`wrote ${out}`);
  await browser.close();
  await api.dispose();
} finally {
  server.kill('SIGTERM');
  pki.cleanup();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

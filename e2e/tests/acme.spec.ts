import tls from 'node:tls';
import { type Browser, type BrowserContext, expect, type Page, test } from '@playwright/test';
import { type Pebble, startPebble } from '../../server/test/support/pebble.js';
import { expectNoSeriousA11yViolations } from '../support/a11y.js';
import { signIn } from '../support/auth.js';
import { ADMIN_PASSWORD, ADMIN_USER, HOST, HTTP_PORT, HTTPS_PORT } from '../support/env.js';
import { type ExtraServer, startExtraServer } from '../support/extra-server.js';
import { shot } from '../support/shot.js';

/**
 * Issue 13: an administrator orders a certificate from a real ACME CA (Debian's pebble on loopback) in the
 * UI and switches HTTPS to it. Pebble validates HTTP-01 for real: its DNS responder maps every name to
 * 127.0.0.1 and its validator fetches http://<name>:<port>/.well-known/acme-challenge/… from the console.
 * A server of its own (extra server, ports +2): the switch to HTTPS must not touch the shared one.
 */

test.describe.configure({ mode: 'serial' });
test.use({ storageState: { cookies: [], origins: [] } });

const EXTRA_HTTP_PORT = HTTP_PORT + 2;
const EXTRA_HTTPS_PORT = HTTPS_PORT + 2;
const NAME = `e2e${Date.now()}.certdesk-acme.example.com`;

let extra: ExtraServer;
let pebble: Pebble;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** The page of the certificate the order test issued (the renewal test renews it). */
let orderedCertificateUrl = '';

test.beforeAll(async ({ playwright }) => {
  test.setTimeout(120_000);
  extra = await startExtraServer();
  pebble = await startPebble({ httpPort: EXTRA_HTTP_PORT });
  // The admin reaches the console by the name the certificate is for (as pebble's validator does): a
  // browser of its own resolves that name to 127.0.0.1, so the session cookie also holds on https://NAME.
  browser = await playwright.chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', `--host-resolver-rules=MAP ${NAME} ${HOST}`],
  });
  context = await browser.newContext({
    baseURL: `http://${NAME}:${EXTRA_HTTP_PORT}`,
    ignoreHTTPSErrors: true,
    viewport: { width: 1366, height: 900 },
  });
  page = await context.newPage();
  await signIn(page);
  // Arranged through the API: pebble issues under a private root, which the admin trusts as an enterprise
  // anchor (the Trust anchors page has its own tests) so the issued chain imports as trusted. (Over
  // 127.0.0.1: this request runs in Node, which does not know the browser's name mapping.)
  const api = await playwright.request.newContext({ baseURL: extra.baseURL });
  try {
    const login = await api.post('/api/auth/login', {
      data: { username: ADMIN_USER, password: ADMIN_PASSWORD },
    });
    expect(login.status(), await login.text()).toBe(200);
    const { csrfToken } = (await (await api.get('/api/auth/me')).json()) as { csrfToken: string };
    const anchor = new FormData();
    anchor.append('file', new Blob([await pebble.issuingRootPem()]), 'pebble-root.pem');
    const res = await api.post('/api/trust-anchors', {
      headers: { 'x-csrf-token': csrfToken },
      multipart: anchor,
    });
    expect(res.status(), await res.text()).toBe(201);
  } finally {
    await api.dispose();
  }
});

test.afterAll(async () => {
  await context?.close();
  await browser?.close();
  await extra?.stop();
  await pebble?.stop();
});

test('create an ACME account for a custom directory, trusting its API certificate', async () => {
  await page.goto('/acme');
  await expect(page.getByRole('heading', { level: 1, name: 'ACME' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Certificate authority' }).click();
  await page.getByRole('option', { name: /^Custom directory URL/ }).click();
  await page.getByRole('textbox', { name: 'Directory URL' }).fill(pebble.directoryUrl);
  await page.getByRole('textbox', { name: 'Contact e-mail' }).fill('admin@example.com');
  await page
    .getByRole('textbox', { name: 'Extra CA certificate for this directory (PEM, optional)' })
    .fill(pebble.apiCaPem);
  await page.getByRole('checkbox', { name: "I agree to the CA's terms of service" }).check();
  await shot(page, 'acme-account-form');
  await page.getByRole('button', { name: 'Create account' }).click();
  const accounts = page.getByTestId('acme-accounts');
  await expect(accounts).toContainText(pebble.directoryUrl);
  await expect(accounts).toContainText('admin@example.com');
  await expect(accounts).toContainText('valid');
  await expectNoSeriousA11yViolations(page, '/acme (one account)');
});

test('order a certificate with HTTP-01 validated by pebble, watch it, open it', async () => {
  test.setTimeout(120_000);
  await page.goto('/acme');
  await page.getByRole('link', { name: 'Order with ACME' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Order with ACME' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'ACME account' })).toHaveValue(
    new RegExp(pebble.directoryUrl.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')),
  );
  await page.getByRole('textbox', { name: 'Host names' }).fill(NAME);
  await page.getByRole('button', { name: 'Order certificate' }).click();
  const progress = page.getByTestId('acme-order-progress');
  await expect(progress).toBeVisible();
  await shot(page, 'acme-order-progress');
  await expect(progress.getByText('Certificate issued')).toBeVisible({ timeout: 90_000 });
  await shot(page, 'acme-order-done');
  await expectNoSeriousA11yViolations(page, '/acme/order (issued)');
  await progress.getByRole('link', { name: /^Open certificate #\d+$/ }).click();
  await expect(page).toHaveURL(/\/certificates\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(NAME);
  orderedCertificateUrl = page.url();
  // Marked as ACME-managed, with when certdesk looks at it next.
  const renewal = page.getByTestId('acme-renewal');
  await expect(renewal).toContainText('Renews by itself');
  await expect(renewal).toContainText('Next check');
  await expect(renewal.getByRole('button', { name: 'Renew now' })).toBeEnabled();
  await shot(page, 'acme-certificate');
});

/** The certificate the HTTPS listener serves, read over a raw TLS connection (no browser in between). */
function served(port: number): Promise<{ san: string; fingerprint256: string }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: HOST, port, servername: NAME, rejectUnauthorized: false }, () => {
      const peer = socket.getPeerCertificate();
      socket.end();
      resolve({ san: peer.subjectaltname ?? '', fingerprint256: peer.fingerprint256 });
    });
    socket.setTimeout(5000, () => socket.destroy(new Error('TLS timeout')));
    socket.once('error', reject);
  });
}
const servedSubjectAltNames = async (port: number) => (await served(port)).san;

test('switch HTTPS to the ACME certificate and confirm it from the new address', async () => {
  test.setTimeout(120_000);
  const certificateId = Number(/\/certificates\/(\d+)$/.exec(page.url())?.[1]);
  expect(certificateId).toBeGreaterThan(0);
  await page.goto('/settings');
  await expect(page.getByRole('heading', { name: 'Server Settings' })).toBeVisible();
  await expect(page.getByTestId('mode-badge')).toHaveText('HTTP only');
  await page.getByRole('switch', { name: 'HTTPS mode' }).check();
  await page.getByTestId('certificate-select').click();
  await page.getByRole('option', { name: new RegExp(`^#${certificateId} `) }).click();
  for (let i = 0; i < 5 && (await page.locator('.mantine-TagsInput-pill').count()) > 0; i++) {
    await page.locator('.mantine-TagsInput-pill button').first().click();
  }
  const names = page.getByTestId('server-names');
  await names.fill(NAME);
  await names.press('Enter');
  await page.getByTestId('save-settings').click();
  await expect(page.getByTestId('pending-change')).toBeVisible();
  const next = page.getByTestId('continue-on-new-address');
  await expect(next).toContainText(`https://${NAME}:${EXTRA_HTTPS_PORT}`);
  await next.click();
  await page.waitForURL(`https://${NAME}:${EXTRA_HTTPS_PORT}/settings**`);
  await expect(page.getByTestId('confirmed')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('mode-badge')).toHaveText('HTTPS (confirmed)');
  await shot(page, 'acme-https-confirmed');
  expect(await servedSubjectAltNames(EXTRA_HTTPS_PORT)).toContain(`DNS:${NAME}`);
});

test('Renew now on the certificate page: the new version is issued, promoted and served', async () => {
  test.setTimeout(150_000);
  const base = `https://${NAME}:${EXTRA_HTTPS_PORT}`;
  const certificateId = Number(/\/certificates\/(\d+)$/.exec(orderedCertificateUrl)?.[1]);
  expect(certificateId).toBeGreaterThan(0);
  const before = (await served(EXTRA_HTTPS_PORT)).fingerprint256;
  await page.goto(`${base}/certificates/${certificateId}`);
  const renewal = page.getByTestId('acme-renewal');
  await expect(renewal).toContainText('Renews by itself');
  await renewal.getByRole('button', { name: 'Renew now' }).click();
  // Either the order is still running (the page says it was ordered) or pebble was quick and the page,
  // refreshed, already shows the new version as the one that renews.
  await expect(renewal).toContainText(/Renewal ordered \(order #\d+\)|is the one that renews/);
  // The page does not follow the order: reload until pebble issued it and the new version took over.
  const supersededBy = page.getByTestId('versions-and-usage');
  await expect(async () => {
    await page.reload();
    await expect(supersededBy).toContainText('Superseded by', { timeout: 2_000 });
  }).toPass({ timeout: 120_000, intervals: [1_000, 2_000] });
  await expect(page.getByRole('heading', { level: 1 })).toContainText(NAME);
  // The old version no longer offers to renew: only the newest one renews.
  await expect(renewal).toContainText('is the one that renews');
  await expect(renewal.getByRole('button', { name: 'Renew now' })).toHaveCount(0);
  await shot(page, 'acme-renew-now-superseded');
  const newer = supersededBy.getByRole('link', { name: new RegExp(`^#\\d+ ${NAME.replace(/\./g, '\\.')}$`) });
  const newId = Number(/^#(\d+)/.exec((await newer.textContent()) ?? '')?.[1]);
  expect(newId).toBeGreaterThan(certificateId);
  await newer.click();
  await expect(page).toHaveURL(new RegExp(`/certificates/${newId}$`));
  // The new version is the one this server serves, ACME-managed too, with the old one as previous version.
  await expect(page.getByTestId('used-by')).toContainText('the HTTPS certificate of this server');
  await expect(page.getByTestId('versions-and-usage')).toContainText(`#${certificateId} ${NAME}`);
  await expect(page.getByTestId('acme-renewal')).toContainText('Renews by itself');
  await expect(
    page.getByTestId('version-history').locator(`[data-version="${certificateId}"]`),
  ).toBeVisible();
  await shot(page, 'acme-renew-now-new-version');
  await expectNoSeriousA11yViolations(page, '/certificates/:id (renewed by ACME)');
  const after = await served(EXTRA_HTTPS_PORT);
  expect(after.fingerprint256).not.toBe(before);
  expect(after.san).toContain(`DNS:${NAME}`);
});

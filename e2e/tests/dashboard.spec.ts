import { expect, type Page, test } from '@playwright/test';
import { type Issued, TestPki } from '../../server/test/support/pki.js';
import { apiAs } from '../support/api.js';
import { signIn } from '../support/auth.js';
import { startExtraServer } from '../support/extra-server.js';
import { shot } from '../support/shot.js';

/** The dashboard: what it counts, and that it follows changes made elsewhere in the console. */

test.describe.configure({ mode: 'serial' });

const pki = new TestPki();
const stamp = Date.now();
let root: Issued;

test.beforeAll(() => {
  root = pki.root(`Dashboard Root ${stamp}`, { key: 'rsa2048' });
});
test.afterAll(() => pki.cleanup());

async function trustRoot(page: Page): Promise<void> {
  const api = await apiAs(page);
  const anchor = new FormData();
  anchor.append('file', new Blob([new Uint8Array(root.certDer)]), 'root.cer');
  const res = await api.request.post('/api/trust-anchors', {
    headers: { 'x-csrf-token': api.csrfToken },
    multipart: anchor,
  });
  expect([201, 409], await res.text()).toContain(res.status());
}

async function availableCount(page: Page): Promise<number> {
  const text = await page.getByTestId('status-counts').locator('[data-status="available"]').innerText();
  return Number(/\d+/.exec(text)?.[0]);
}

/** Imports a certificate with its key through the API (arranging data; the UI import has its own test). */
async function importThroughApi(page: Page, leaf: Issued): Promise<number> {
  await trustRoot(page);
  const api = await apiAs(page);
  const files = new FormData();
  files.append('file', new Blob([leaf.certPem]), 'server.crt');
  files.append('file', new Blob([leaf.keyPem]), 'server.key');
  const res = await api.request.post('/api/certificates', {
    headers: { 'x-csrf-token': api.csrfToken },
    multipart: files,
  });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

test('an import made in the console shows on the dashboard at once', async ({ page }) => {
  await trustRoot(page);
  // The page's clock stands still, so cached answers never grow old by themselves: only an invalidation
  // after the import can refresh the dashboard, however long the import takes.
  await page.clock.setFixedTime(new Date());
  await page.goto('/');
  await expect(page.getByTestId('status-counts')).toBeVisible();
  const before = await availableCount(page);

  // Through the navigation (no reload): the dashboard's cached answer must not be shown again.
  const nav = page.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Import', exact: true }).click();
  const leaf = pki.leaf(`dash${stamp}.example.test`, root, { key: 'ec256' });
  await page
    .getByTestId('import-dropzone')
    .locator('input[type=file]')
    .setInputFiles([
      { name: 'server.crt', mimeType: 'application/octet-stream', buffer: Buffer.from(leaf.certPem) },
      { name: 'server.key', mimeType: 'application/octet-stream', buffer: Buffer.from(leaf.keyPem) },
    ]);
  await page.getByTestId('import-check').click();
  await page.getByTestId('import-confirm').click();
  await expect(page.getByTestId('import-done')).toBeVisible();

  await nav.getByRole('link', { name: 'Dashboard', exact: true }).click();
  await expect
    .poll(() => availableCount(page), { message: 'the Available tile counts the new certificate' })
    .toBe(before + 1);
  await shot(page, 'dashboard-after-import');
});

test('each count tile is a link to the inventory filtered the same way', async ({ page }) => {
  await page.goto('/');
  const tiles = page.getByTestId('status-counts');
  await tiles.getByRole('link', { name: /^Available: \d+ certificates?$/ }).click();
  await expect(page).toHaveURL(/\/certificates\?status=available$/);
  await expect(page.getByTestId('status-filter')).toHaveValue('Available');
  await page.goBack();
  await tiles.getByRole('link', { name: /^All: \d+ certificates?$/ }).click();
  await expect(page).toHaveURL(/\/certificates$/);
});

test('the served certificate says once how many days it has left', async ({ page }) => {
  const api = await apiAs(page);
  const headers = { 'x-csrf-token': api.csrfToken };
  const id = await importThroughApi(page, pki.leaf(`served${stamp}.example.test`, root, { endDays: 200 }));
  const before = (await (await api.request.get('/api/settings/server')).json()) as {
    activeCertificateId: number | null;
  };
  // HTTPS stays off, so choosing the certificate applies at once (no confirmation).
  const chosen = await api.request.put('/api/settings/server', {
    headers,
    data: { activeCertificateId: id },
  });
  expect(chosen.status(), await chosen.text()).toBe(200);
  try {
    await page.goto('/');
    const card = page.getByTestId('active-certificate');
    await expect(card).toContainText(`served${stamp}.example.test`);
    await expect(card.getByText(/days? left/)).toHaveCount(1);
    await expect(card.getByTestId('active-days-left')).toContainText(/^\d+\s*days left$/);
    await shot(page, 'dashboard-active-certificate');
  } finally {
    await api.request.put('/api/settings/server', {
      headers,
      data: { activeCertificateId: before.activeCertificateId },
    });
  }
});

test('a certificate that needs attention has a Renew action: the CSR wizard opens prefilled', async ({
  page,
}) => {
  const cn = `soon${stamp}.example.test`;
  await importThroughApi(page, pki.leaf(cn, root, { key: 'ec256', endDays: 5 }));
  await page.goto('/');
  const row = page.getByTestId('expiring').getByRole('row').filter({ hasText: cn });
  await expect(row).toBeVisible();
  await shot(page, 'dashboard-needs-attention');
  await row.getByRole('button', { name: `Renew ${cn}` }).click();
  await expect(page).toHaveURL(/\/csrs\/new\?/);
  await expect(page.getByTestId('renew-banner')).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Common name (CN)' })).toHaveValue(cn);
});

test('an empty inventory says there is nothing yet and links Import and Generate CSR', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const extra = await startExtraServer();
  const context = await browser.newContext({
    baseURL: extra.baseURL,
    viewport: { width: 1280, height: 800 },
  });
  try {
    const page = await context.newPage();
    await signIn(page);
    await page.goto('/');
    const attention = page.getByTestId('expiring');
    await expect(attention).toContainText('No certificates yet');
    await expect(attention).not.toContainText('Nothing expires soon');
    await expect(attention.getByRole('link', { name: 'Import a certificate' })).toBeVisible();
    await shot(page, 'dashboard-empty-inventory');
    await attention.getByRole('link', { name: 'Generate a CSR' }).click();
    await expect(page).toHaveURL(/\/csrs\/new$/);
  } finally {
    await context.close();
    await extra.stop();
  }
});

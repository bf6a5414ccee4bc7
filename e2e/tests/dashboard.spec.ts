import { expect, type Page, test } from '@playwright/test';
import { type Issued, TestPki } from '../../server/test/support/pki.js';
import { apiAs } from '../support/api.js';
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

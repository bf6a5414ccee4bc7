import fs from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { type Issued, TestPki } from '../../server/test/support/pki.js';
import { apiAs } from '../support/api.js';
import { shot } from '../support/shot.js';

/**
 * One way to write each thing on every page: IPv6 compressed (::1), the SHA-1 thumbprint as upper-case
 * hex everywhere, a key identifier without a comma inside, and server.csr ending with a newline.
 */

const pki = new TestPki();
const stamp = Date.now();
const cn = `fmt${stamp}.example.test`;
let root: Issued;
let ica: Issued;

test.beforeAll(() => {
  root = pki.root(`Format Root ${stamp}`, { key: 'rsa2048' });
  ica = pki.intermediate(`Format Issuing CA ${stamp}`, root);
});
test.afterAll(() => pki.cleanup());

async function importWithIpv6(page: Page): Promise<{ id: number; thumbprint: string }> {
  const { request, csrfToken } = await apiAs(page);
  const headers = { 'x-csrf-token': csrfToken };
  const file = (name: string, data: string) => ({ name, mimeType: 'text/plain', buffer: Buffer.from(data) });
  const anchor = await request.post('/api/trust-anchors', {
    headers,
    multipart: { file: file('r.pem', root.certPem) },
  });
  expect([201, 409], await anchor.text()).toContain(anchor.status());
  const leaf = pki.leaf(cn, ica, { key: 'ec256', sans: [`DNS:${cn}`, 'IP:::1', 'IP:2001:db8:0:0:0:0:0:10'] });
  const form = new FormData();
  form.append('file', new Blob([leaf.certPem + leaf.keyPem + ica.certPem]), 'bundle.pem');
  const res = await request.post('/api/certificates', { headers, multipart: form });
  expect(res.status(), await res.text()).toBe(201);
  const id = ((await res.json()) as { id: number }).id;
  const detail = (await (await request.get(`/api/certificates/${id}`)).json()) as { thumbprintSha1: string };
  return { id, thumbprint: detail.thumbprintSha1 };
}

test('IPv6 compressed, the thumbprint one way, the key identifier without a comma', async ({ page }) => {
  await page.goto('/certificates');
  const { id, thumbprint } = await importWithIpv6(page);
  expect(thumbprint).toMatch(/^[0-9A-F]{40}$/);

  await page.goto(`/certificates/${id}`);
  const main = page.getByRole('main');
  await expect(main).toContainText('::1');
  await expect(main).toContainText('2001:db8::10');
  await expect(main).not.toContainText('0:0:0:0:0:0:0:1');

  await page.getByRole('tab', { name: 'Details' }).click();
  const thumb = page.locator('[data-field="Thumbprint (SHA-1)"]');
  await expect(thumb).toContainText(thumbprint);
  await page.locator('[data-field="Subject Alternative Name"]').click();
  await expect(page.getByTestId('details-value')).toContainText('IP: ::1');
  const ski = page.locator('[data-field="Subject Key Identifier"]');
  await ski.click();
  await expect(page.getByTestId('details-value')).not.toContainText(',');
  await expect(ski).not.toContainText(',');
  await shot(page, 'formatting-details');

  await page.getByRole('tab', { name: 'Certification Path' }).click();
  await expect(page.getByTestId('certification-path')).toBeVisible();
  await expect(page.getByText(thumbprint)).toBeVisible();

  await page.goto('/certificates');
  await page.getByTestId('certificate-search').fill(cn);
  // The list shows the start of the same upper-case hex (the full value is in its tooltip and details).
  await expect(page.getByTestId('certificate-row').first()).toContainText(`${thumbprint.slice(0, 8)}…`);
});

test('server.csr ends with a newline', async ({ page }) => {
  await page.goto('/csrs/new');
  await page.getByLabel('Common name (CN)').fill(`csr-${cn}`);
  await page.getByTestId('wizard-next').click();
  await page.getByText('ECDSA', { exact: true }).click();
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('wizard-generate').click();
  const created = page.getByTestId('csr-created');
  await expect(created).toBeVisible({ timeout: 30_000 });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    created.getByTestId('download-csr').click(),
  ]);
  const text = fs.readFileSync(await download.path(), 'utf8');
  expect(text.endsWith('-----END CERTIFICATE REQUEST-----\n')).toBe(true);
});

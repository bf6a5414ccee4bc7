import { X509Certificate } from 'node:crypto';
import { expect, type Page, test } from '@playwright/test';
import { type Issued, TestPki } from '../../server/test/support/pki.js';
import { apiAs } from '../support/api.js';
import { shot } from '../support/shot.js';

/**
 * Inventory search through the UI (issue 14, item 9): by display name (also after a rename), by a host
 * name that a wildcard certificate covers, by SHA-1 thumbprint and SHA-256 fingerprint pasted with
 * colons, spaces or neither (as Windows and openssl show them).
 */

test.describe.configure({ mode: 'serial' });

const pki = new TestPki();
const stamp = Date.now();
const domain = `apps${stamp}.example.test`;
let root: Issued;
let leaf: Issued;
let id = 0;

test.beforeAll(() => {
  root = pki.root(`Search Root ${stamp}`, { key: 'ec256' });
  leaf = pki.leaf(`*.${domain}`, root, { key: 'ec256', sans: [`DNS:*.${domain}`] });
});
test.afterAll(() => pki.cleanup());

async function seed(page: Page): Promise<void> {
  const api = await apiAs(page);
  const headers = { 'x-csrf-token': api.csrfToken };
  const anchor = new FormData();
  anchor.append('file', new Blob([root.certPem]), 'root.pem');
  const a = await api.request.post('/api/trust-anchors', { headers, multipart: anchor });
  expect([201, 409], await a.text()).toContain(a.status());
  const files = new FormData();
  files.append('file', new Blob([leaf.certPem]), 'wildcard.crt');
  files.append('file', new Blob([leaf.keyPem]), 'wildcard.key');
  const res = await api.request.post('/api/certificates', { headers, multipart: files });
  expect(res.status(), await res.text()).toBe(201);
  id = ((await res.json()) as { id: number }).id;
}

async function searchFinds(page: Page, query: string): Promise<void> {
  await page.getByTestId('certificate-search').fill(query);
  await expect(page).toHaveURL(/[?&]q=/);
  const rows = page.getByTestId('certificate-row');
  await expect(rows).toHaveCount(1);
  await expect(page.locator(`[data-certificate-id="${id}"]`)).toBeVisible();
}

test('search by display name after a rename, wildcard host, SHA-1 and SHA-256 in every spelling', async ({
  page,
}) => {
  await page.goto('/certificates');
  await seed(page);

  // The placeholder and help say what can be searched.
  await page.reload();
  const box = page.getByTestId('certificate-search');
  await expect(box).toHaveAttribute('placeholder', /Display name.*SHA-1 or SHA-256/);
  await expect(page.getByText('A host name also finds the wildcard certificate covering it')).toBeVisible();

  // Renamed in the UI, then found by a word of the new name.
  await page.goto(`/certificates/${id}`);
  await page.getByTestId('rename').click();
  const dialog = page.getByRole('dialog', { name: 'Rename certificate' });
  await dialog.getByTestId('rename-input').fill(`Payroll${stamp} portal`);
  await dialog.getByTestId('rename-input').press('Enter');
  await expect(dialog).toBeHidden();
  await page.goto('/certificates');
  await searchFinds(page, `payroll${stamp}`);
  await shot(page, 'inventory-search-display-name');

  // A host name under the wildcard.
  await searchFinds(page, `foo.${domain}`);
  await shot(page, 'inventory-search-wildcard');

  const cert = new X509Certificate(leaf.certPem);
  const sha1 = cert.fingerprint.replace(/:/g, '');
  const sha256 = cert.fingerprint256;
  for (const query of [
    cert.fingerprint, // AB:CD:…
    sha1.toLowerCase(), // abcd…
    sha1.replace(/(..)(?!$)/g, '$1 ').toLowerCase(), // "ab cd …" as Windows shows it
    sha256, // openssl -sha256
    sha256.replace(/:/g, ' '),
  ]) {
    await searchFinds(page, query);
  }
  await shot(page, 'inventory-search-thumbprint');
});

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { type Issued, TestPki } from '../../server/test/support/pki.js';
import { apiAs } from '../support/api.js';
import { shot } from '../support/shot.js';

/**
 * Inventory: search, open the certificate dialog, export a PFX (read back with openssl), renew (the CSR
 * wizard opens prefilled), replace in place and roll back. Data is arranged through the real API: a
 * private root as trust anchor, a certificate imported with its key, then a renewal made the way an
 * administrator makes it (CSR from certdesk, signed by the test CA, certificate imported alone).
 */

test.describe.configure({ mode: 'serial' });

const pki = new TestPki();
const stamp = Date.now();
const cn = `inv${stamp}.example.test`;
let root: Issued;
let ica: Issued;
let firstId = 0;
let renewedId = 0;

test.beforeAll(() => {
  root = pki.root(`Inventory Root ${stamp}`, { key: 'rsa2048' });
  ica = pki.intermediate(`Inventory Issuing CA ${stamp}`, root);
});
test.afterAll(() => pki.cleanup());

function form(files: Record<string, string | Buffer>): FormData {
  const f = new FormData();
  for (const [name, data] of Object.entries(files))
    f.append('file', new Blob([new Uint8Array(Buffer.from(data))]), name);
  return f;
}

async function seed(page: Page): Promise<void> {
  const api = await apiAs(page);
  const headers = { 'x-csrf-token': api.csrfToken };
  const anchor = new FormData();
  anchor.append('file', new Blob([new Uint8Array(root.certDer)]), 'root.cer');
  const a = await api.request.post('/api/trust-anchors', { headers, multipart: anchor });
  expect([201, 409], await a.text()).toContain(a.status());

  const leaf = pki.leaf(cn, ica, {
    key: 'ec256',
    sans: [`DNS:${cn}`, `DNS:www.${cn}`],
    subject: `/CN=${cn}/O=Inventory Org/C=FR`,
  });
  const first = await api.request.post('/api/certificates', {
    headers,
    multipart: form({ 'server.crt': leaf.certPem, 'server.key': leaf.keyPem, 'issuing.pem': ica.certPem }),
  });
  expect(first.status(), await first.text()).toBe(201);
  firstId = ((await first.json()) as { id: number }).id;

  // The renewal: certdesk makes the key and CSR, the CA signs, only the certificate comes back.
  const csr = await api.post('/api/csrs', {
    commonName: cn,
    subjectAltNames: [cn, `www.${cn}`],
    organization: 'Inventory Org',
    country: 'FR',
    keyType: 'ec',
    curve: 'P-256',
    renewsCertificateId: firstId,
  });
  expect(csr.status(), await csr.text()).toBe(201);
  const { csrPem } = (await csr.json()) as { csrPem: string };
  const signed = pki.signCsr(cn, csrPem, ica, { endDays: 200, sans: [`DNS:${cn}`, `DNS:www.${cn}`] });
  const second = await api.request.post('/api/certificates', {
    headers,
    multipart: form({ 'renewed.crt': signed, 'issuing.pem': ica.certPem }),
  });
  expect(second.status(), await second.text()).toBe(201);
  renewedId = ((await second.json()) as { id: number }).id;
}

test('search the inventory and open the certificate dialog', async ({ page }) => {
  await seed(page);
  await page.goto('/certificates');
  await expect(page.getByRole('heading', { name: 'Certificates' })).toBeVisible();
  await page.getByTestId('certificate-search').fill(`inv${stamp}`);
  const rows = page.getByTestId('certificate-row');
  await expect(rows).toHaveCount(2);
  await expect(page).toHaveURL(new RegExp(`q=inv${stamp}`));
  await expect(rows.first()).toContainText(cn);
  await expect(rows.first().getByTestId('expiry-badge')).toHaveText(/days left|Expires in/);
  await shot(page, 'inventory-search');

  await page.locator(`[data-certificate-id="${firstId}"]`).getByRole('link', { name: cn }).click();
  await expect(page).toHaveURL(new RegExp(`/certificates/${firstId}$`));
  await expect(page.getByTestId('issued-to')).toHaveText(cn);
  await expect(page.getByTestId('issued-by')).toHaveText(`Inventory Issuing CA ${stamp}`);
  await expect(page.getByText('Server Authentication')).toBeVisible();
  await shot(page, 'inventory-detail-general');

  await page.getByRole('tab', { name: 'Details' }).click();
  await page.locator('[data-field="Thumbprint (SHA-1)"]').click();
  await expect(page.getByTestId('details-value')).toHaveText(/^[0-9A-F]{40}$/);
  await page.locator('[data-field="Subject Alternative Name"]').click();
  await expect(page.getByTestId('details-value')).toContainText(`www.${cn}`);
  await shot(page, 'inventory-detail-details');

  await page.getByRole('tab', { name: 'Certification Path' }).click();
  const path = page.getByTestId('certification-path');
  await expect(path.locator('[data-role]')).toHaveCount(3);
  await expect(path.locator('[data-role="root"]')).toContainText(`Inventory Root ${stamp}`);
  await expect(path.locator('[data-status="ok"]')).toHaveCount(3);
  await shot(page, 'inventory-detail-path');

  await page.getByRole('tab', { name: 'PEM' }).click();
  await expect(page.getByTestId('pem-fullchain')).toContainText('BEGIN CERTIFICATE');
});

test('export a PFX with its key: the account password is asked, openssl reads the file', async ({ page }) => {
  await page.goto(`/certificates/${firstId}`);
  await page.getByTestId('export').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('radio', { name: 'PFX / PKCS#12 (.pfx)' })).toBeChecked();
  await dialog.getByLabel(/^PFX password/).fill('Export pfx pass');
  await dialog.getByLabel('Confirm PFX password').fill('Export pfx pass');
  await dialog.getByLabel('Your account password').fill('wrong password');
  await dialog.getByTestId('export-submit').click();
  await expect(dialog.getByTestId('error-alert')).toContainText('REAUTH_FAILED');
  await dialog
    .getByLabel('Your account password')
    .fill(process.env.E2E_ADMIN_PASSWORD || 'e2e correct horse battery staple');
  await shot(page, 'inventory-export-dialog');
  const download = page.waitForEvent('download');
  await dialog.getByTestId('export-submit').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`${cn}.pfx`);
  const saved = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'inv-e2e-')), 'out.pfx');
  await file.saveAs(saved);
  const info = execFileSync(
    'openssl',
    ['pkcs12', '-info', '-nodes', '-in', saved, '-passin', 'pass:Export pfx pass'],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  expect(info).toContain('BEGIN PRIVATE KEY');
  expect(info.match(/BEGIN CERTIFICATE/g)?.length).toBe(2);
  await expect(dialog).toBeHidden();
});

test('renew opens the CSR wizard prefilled from the certificate', async ({ page }) => {
  await page.goto(`/certificates/${firstId}`);
  await page.getByTestId('renew').click();
  await expect(page).toHaveURL(/\/csrs\/new\?/);
  const url = new URL(page.url());
  expect(url.searchParams.get('commonName')).toBe(cn);
  expect(url.searchParams.getAll('san')).toEqual([cn, `www.${cn}`]);
  expect(url.searchParams.get('organization')).toBe('Inventory Org');
  expect(url.searchParams.get('country')).toBe('FR');
  expect(url.searchParams.get('keyType')).toBe('ec');
  expect(url.searchParams.get('curve')).toBe('P-256');
  expect(url.searchParams.get('renews')).toBe(String(firstId));
  await expect(page.getByLabel('Common name (CN)')).toHaveValue(cn);
  await shot(page, 'inventory-renew-wizard');
});

test('replace in place, then restore the previous version in one click', async ({ page }) => {
  await page.goto(`/certificates/${renewedId}`);
  await expect(page.getByTestId('versions-and-usage')).toContainText(`#${firstId}`);
  await page.getByTestId('promote').click();
  await page.getByRole('dialog').getByRole('button', { name: 'Replace' }).click();
  await expect(page.getByRole('dialog')).toBeHidden();
  await page.goto(`/certificates/${firstId}`);
  await expect(page.locator('[data-status="superseded"]').first()).toBeVisible();
  await expect(page.getByTestId('versions-and-usage')).toContainText('Superseded by');
  await shot(page, 'inventory-superseded');
  await page.getByTestId('restore').click();
  await page.getByRole('dialog').getByRole('button', { name: 'Restore' }).click();
  await expect(page.getByRole('dialog')).toBeHidden();
  await expect(page.getByTestId('restore')).toHaveCount(0);
  await expect(page.getByTestId('versions-and-usage')).not.toContainText('Superseded by');
  await shot(page, 'inventory-restored');

  // Both actions are in the audit log.
  const api = await apiAs(page);
  const audit = (await (await api.request.get('/api/audit?action=certificate.')).json()) as {
    items: { action: string }[];
  };
  const actions = audit.items.map((i) => i.action);
  expect(actions).toContain('certificate.promote');
  expect(actions).toContain('certificate.restore');
  expect(actions).toContain('certificate.export');

  await page.goto('/');
  await expect(page.getByTestId('status-counts')).toBeVisible();
  await shot(page, 'inventory-dashboard');
});

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { type Issued, TestPki } from '../../server/test/support/pki.js';
import { apiAs } from '../support/api.js';
import { shot } from '../support/shot.js';

/** Rename a certificate, export it as .p7b, and Enter submits the forms (import, CSR wizard, dialogs). */

test.describe.configure({ mode: 'serial' });

const pki = new TestPki();
const stamp = Date.now();
const cn = `gaps${stamp}.example.test`;
let root: Issued;
let ica: Issued;
let id = 0;

test.beforeAll(() => {
  root = pki.root(`Gaps Root ${stamp}`, { key: 'rsa2048' });
  ica = pki.intermediate(`Gaps Issuing CA ${stamp}`, root);
});
test.afterAll(() => pki.cleanup());

const file = (name: string, data: string | Buffer) => ({
  name,
  mimeType: 'application/octet-stream',
  buffer: Buffer.from(data),
});

async function seed(page: Page): Promise<void> {
  const { request, csrfToken } = await apiAs(page);
  const headers = { 'x-csrf-token': csrfToken };
  const anchor = await request.post('/api/trust-anchors', {
    headers,
    multipart: { file: file('root.pem', root.certPem) },
  });
  expect([201, 409], await anchor.text()).toContain(anchor.status());
  const leaf = pki.leaf(cn, ica, { key: 'ec256' });
  const form = new FormData();
  form.append('file', new Blob([leaf.certPem]), 'server.crt');
  form.append('file', new Blob([leaf.keyPem]), 'server.key');
  form.append('file', new Blob([ica.certPem]), 'ca.pem');
  const res = await request.post('/api/certificates', { headers, multipart: form });
  expect(res.status(), await res.text()).toBe(201);
  id = ((await res.json()) as { id: number }).id;
}

test('rename a certificate: Enter saves, the name shows, the change is audited', async ({ page }) => {
  await page.goto('/certificates');
  await seed(page);
  await page.goto(`/certificates/${id}`);
  await page.getByTestId('rename').click();
  const dialog = page.getByRole('dialog', { name: 'Rename certificate' });
  await dialog.getByTestId('rename-input').fill('Gaps portal 2027');
  await shot(page, 'certificate-rename');
  await dialog.getByTestId('rename-input').press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Gaps portal 2027', { exact: true })).toBeVisible();
  await page.goto('/certificates');
  await page.getByTestId('certificate-search').fill(`gaps${stamp}`);
  await expect(page.getByTestId('certificate-row').first()).toContainText('Gaps portal 2027');
  const api = await apiAs(page);
  const audit = (await (await api.request.get('/api/audit?action=certificate.rename')).json()) as {
    items: { target: string; details: { to: string } }[];
  };
  expect(audit.items.find((i) => i.target === String(id))?.details.to).toBe('Gaps portal 2027');
});

test('export as .p7b: openssl pkcs7 -print_certs reads the certificate and its intermediate', async ({
  page,
}) => {
  await page.goto(`/certificates/${id}`);
  await page.getByTestId('export').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('PKCS#7 (.p7b)').check();
  await shot(page, 'export-p7b');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    dialog.getByTestId('export-submit').click(),
  ]);
  expect(download.suggestedFilename()).toBe(`${cn}.p7b`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-e2e-p7b-'));
  try {
    const saved = path.join(dir, 'chain.p7b');
    await download.saveAs(saved);
    const text = execFileSync('openssl', [
      'pkcs7',
      '-inform',
      'DER',
      '-print_certs',
      '-noout',
      '-in',
      saved,
    ]).toString();
    expect(text).toContain(`CN = ${cn}`);
    expect(text).toContain(`CN = Gaps Issuing CA ${stamp}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('Enter submits: the import check from the password field, the CSR wizard step from a field', async ({
  page,
}) => {
  const leaf = pki.leaf(`enter${stamp}.example.test`, ica, { key: 'rsa2048' });
  await page.goto('/import');
  await page
    .getByTestId('import-dropzone')
    .locator('input[type=file]')
    .setInputFiles(file('server.pfx', pki.pfx(leaf, [ica], 'pfx pass', 'modern', 'Enter test')));
  await page.getByTestId('import-password').fill('pfx pass');
  await page.getByTestId('import-password').press('Enter');
  await expect(page.getByTestId('import-ready')).toBeVisible();

  await page.goto('/csrs/new');
  await page.getByLabel('Common name (CN)').fill(`enter${stamp}.example.test`);
  await page.getByLabel('Common name (CN)').press('Enter');
  await expect(page.getByText('ECDSA', { exact: true })).toBeVisible();
  // The key step has only radio buttons (no field Enter could come from): Next.
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('csr-review')).toContainText(`enter${stamp}.example.test`);
});

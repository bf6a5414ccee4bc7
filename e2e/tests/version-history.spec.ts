import { expect, type Page, test } from '@playwright/test';
import { type Issued, TestPki } from '../../server/test/support/pki.js';
import { apiAs } from '../support/api.js';
import { shot } from '../support/shot.js';

/**
 * Rollback from where the administrator is after "Replace previous version": the certificate now in
 * service lists the versions it replaced, each with "Restore this version".
 */

const pki = new TestPki();
const stamp = Date.now();
const cn = `history${stamp}.example.test`;
let root: Issued;
let ica: Issued;

test.beforeAll(() => {
  root = pki.root(`History Root ${stamp}`, { key: 'rsa2048' });
  ica = pki.intermediate(`History Issuing CA ${stamp}`, root);
});
test.afterAll(() => pki.cleanup());

function form(files: Record<string, string | Buffer>): FormData {
  const f = new FormData();
  for (const [name, data] of Object.entries(files))
    f.append('file', new Blob([new Uint8Array(Buffer.from(data))]), name);
  return f;
}

/** A first certificate with its key, then a renewal the way an administrator makes one (CSR, CA, import). */
async function seed(page: Page): Promise<{ firstId: number; renewedId: number }> {
  const api = await apiAs(page);
  const headers = { 'x-csrf-token': api.csrfToken };
  const anchor = new FormData();
  anchor.append('file', new Blob([new Uint8Array(root.certDer)]), 'root.cer');
  const a = await api.request.post('/api/trust-anchors', { headers, multipart: anchor });
  expect([201, 409], await a.text()).toContain(a.status());
  const leaf = pki.leaf(cn, ica, { key: 'ec256', sans: [`DNS:${cn}`] });
  const first = await api.request.post('/api/certificates', {
    headers,
    multipart: form({ 'server.crt': leaf.certPem, 'server.key': leaf.keyPem, 'issuing.pem': ica.certPem }),
  });
  expect(first.status(), await first.text()).toBe(201);
  const firstId = ((await first.json()) as { id: number }).id;
  const csr = await api.post('/api/csrs', {
    commonName: cn,
    subjectAltNames: [cn],
    keyType: 'ec',
    curve: 'P-256',
    renewsCertificateId: firstId,
  });
  expect(csr.status(), await csr.text()).toBe(201);
  const { csrPem } = (await csr.json()) as { csrPem: string };
  const signed = pki.signCsr(cn, csrPem, ica, { endDays: 200, sans: [`DNS:${cn}`] });
  const second = await api.request.post('/api/certificates', {
    headers,
    multipart: form({ 'renewed.crt': signed, 'issuing.pem': ica.certPem }),
  });
  expect(second.status(), await second.text()).toBe(201);
  return { firstId, renewedId: ((await second.json()) as { id: number }).id };
}

test('after "Replace previous version" the new certificate lists the old one and restores it', async ({
  page,
}) => {
  await page.goto('/certificates');
  const { firstId, renewedId } = await seed(page);
  await page.goto(`/certificates/${renewedId}`);
  await page.getByTestId('promote').click();
  await page.getByRole('dialog').getByRole('button', { name: 'Replace' }).click();
  await expect(page.getByRole('dialog')).toBeHidden();

  // Still on the certificate now in use: its history shows the version it replaced, with restore.
  const history = page.getByTestId('version-history');
  await expect(history.locator(`[data-version="${renewedId}"]`)).toContainText('this version');
  await expect(history.locator(`[data-version="${firstId}"]`)).toContainText('Superseded');
  await expect(page.getByTestId(`restore-version-${firstId}`)).toBeVisible();
  await shot(page, 'version-history');
  await page.getByTestId(`restore-version-${firstId}`).click();
  const dialog = page.getByRole('dialog', { name: `Restore #${firstId}?` });
  await expect(dialog).toContainText('takes back what the newest version serves now');
  await dialog.getByRole('button', { name: 'Restore' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId(`restore-version-${firstId}`)).toHaveCount(0);
  await expect(history.locator(`[data-version="${firstId}"]`)).not.toContainText('Superseded');
  await shot(page, 'version-history-restored');
  // And the rollback can be undone from here: the renewal offers "Replace previous version" again.
  await expect(page.getByTestId('promote')).toBeVisible();
});

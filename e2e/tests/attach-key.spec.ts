import { expect, type Page, test } from '@playwright/test';
import { type Issued, TestPki } from '../../server/test/support/pki.js';
import { apiAs } from '../support/api.js';
import { shot } from '../support/shot.js';

/**
 * A certificate imported without its private key ("pending key") gets it later: "Attach private key" on
 * its page, or the key alone dropped on the import page.
 */

const pki = new TestPki();
let root: Issued;
let ica: Issued;
const stamp = Date.now();

test.beforeAll(() => {
  root = pki.root(`E2E Attach Root ${stamp}`, { key: 'rsa2048' });
  ica = pki.intermediate(`E2E Attach CA ${stamp}`, root, { key: 'rsa2048' });
});
test.afterAll(() => pki.cleanup());

const file = (name: string, data: string | Buffer) => ({
  name,
  mimeType: 'application/octet-stream',
  buffer: Buffer.from(data),
});

/** Trusts the test root and imports the certificate alone (no key); returns its id. */
async function importPending(page: Page, leaf: Issued): Promise<number> {
  const { request, csrfToken } = await apiAs(page);
  const headers = { 'x-csrf-token': csrfToken };
  const anchor = await request.post('/api/trust-anchors', {
    headers,
    multipart: { file: file('root.pem', root.certPem) },
  });
  expect([201, 409], await anchor.text()).toContain(anchor.status());
  const res = await request.post('/api/certificates', {
    headers,
    multipart: { file: file('server.crt', leaf.certPem + ica.certPem) },
  });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

test('"Attach private key" on a pending-key certificate: a wrong key is refused, the right one attached', async ({
  page,
}) => {
  const leaf = pki.leaf(`attach${stamp}.example.test`, ica, { key: 'rsa2048' });
  const other = pki.leaf(`attach-other${stamp}.example.test`, ica);
  await page.goto('/certificates');
  const id = await importPending(page, leaf);
  await page.goto(`/certificates/${id}`);
  await expect(page.getByText('Pending key').first()).toBeVisible();
  await page.getByTestId('attach-key').click();
  const dialog = page.getByRole('dialog', { name: 'Attach private key' });
  await dialog.getByTestId('attach-key-file').click();
  await dialog.locator('input[type=file]').setInputFiles(file('other.key', other.keyPem));
  await dialog.getByTestId('attach-key-submit').click();
  await expect(dialog.getByTestId('error-alert')).toContainText('does not belong');
  await shot(page, 'attach-key-mismatch');
  // The right key, encrypted: the password field is what unlocks it.
  await dialog
    .locator('input[type=file]')
    .setInputFiles(file('server.key', pki.keyAs(leaf, 'pkcs8', 'key pass')));
  await dialog.getByTestId('attach-key-password').fill('key pass');
  await dialog.getByTestId('attach-key-password').press('Enter');
  await expect(dialog.getByTestId('attach-key-done')).toContainText('Private key attached');
  await expect(dialog.locator('[data-check="key-match"]')).toHaveAttribute('data-status', 'pass');
  await shot(page, 'attach-key-done');
  await dialog.getByTestId('attach-key-close').click();
  await expect(page.getByTestId('attach-key')).toHaveCount(0);
  await expect(page.getByText('Pending key')).toHaveCount(0);
  await page.goto('/audit');
  await expect(page.getByRole('table').getByText('certificate.attach-key').first()).toBeVisible();
});

test('the key alone on the import page is attached to the stored certificate it belongs to', async ({
  page,
}) => {
  const leaf = pki.leaf(`keyalone${stamp}.example.test`, ica);
  await page.goto('/import');
  const id = await importPending(page, leaf);
  await page
    .getByTestId('import-dropzone')
    .locator('input[type=file]')
    .setInputFiles(file('server.key', leaf.keyPem));
  await page.getByTestId('import-check').click();
  const ready = page.getByTestId('import-ready');
  await expect(ready).toContainText(`already stored as #${id}`);
  await expect(ready).toContainText('press Import to add the key');
  await expect(page.locator('[data-check="key-match"]')).toHaveAttribute('data-status', 'pass');
  await shot(page, 'import-key-alone');
  await page.getByTestId('import-confirm').click();
  await expect(page.getByTestId('import-done')).toContainText('Private key added');
  await page.getByTestId('import-link').click();
  await expect(page).toHaveURL(new RegExp(`/certificates/${id}$`));
  await expect(page.getByTestId('attach-key')).toHaveCount(0);
});

import { expect, type Page, test } from '@playwright/test';
import { type Issued, TestPki } from '../../server/test/support/pki.js';
import { apiAs } from '../support/api.js';
import { shot } from '../support/shot.js';

/**
 * What an import answers besides "imported": a certificate that is already stored (dry run and a real
 * import that loses a race), and a wrong PFX password, each told apart from "the files could not be read".
 */

const pki = new TestPki();
let root: Issued;
let ica: Issued;
const stamp = Date.now();

test.beforeAll(() => {
  root = pki.root(`E2E Outcomes Root ${stamp}`, { key: 'rsa2048' });
  ica = pki.intermediate(`E2E Outcomes CA ${stamp}`, root, { key: 'rsa2048' });
});
test.afterAll(() => pki.cleanup());

const file = (name: string, data: string | Buffer) => ({
  name,
  mimeType: 'application/octet-stream',
  buffer: Buffer.from(data),
});

async function drop(page: Page, files: ReturnType<typeof file>[]) {
  await page.getByTestId('import-dropzone').locator('input[type=file]').setInputFiles(files);
}

/** Trusts the test root and imports `parts` through the API; returns the new certificate's id. */
async function importByApi(page: Page, parts: ReturnType<typeof file>[]): Promise<number> {
  const { request, csrfToken } = await apiAs(page);
  const headers = { 'x-csrf-token': csrfToken };
  const anchor = await request.post('/api/trust-anchors', {
    headers,
    multipart: { file: file('root.pem', root.certPem) },
  });
  expect([201, 409], await anchor.text()).toContain(anchor.status());
  const form = new FormData();
  for (const p of parts) form.append('file', new Blob([p.buffer]), p.name);
  const res = await request.post('/api/certificates', { headers, multipart: form });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

test('checking a certificate that is already stored shows its report and links to it', async ({ page }) => {
  await page.goto('/import');
  const leaf = pki.leaf(`stored${stamp}.example.test`, ica);
  const files = [
    file('server.crt', leaf.certPem),
    file('server.key', leaf.keyPem),
    file('ca.pem', ica.certPem),
  ];
  const id = await importByApi(page, files);
  await drop(page, files);
  await page.getByTestId('import-check').click();
  const stored = page.getByTestId('import-already-stored');
  await expect(stored).toContainText(`already stored as #${id}`);
  await expect(page.getByTestId('import-ready')).toHaveCount(0);
  await expect(page.getByTestId('import-report')).toBeVisible();
  await expect(page.getByTestId('import-confirm')).toBeDisabled();
  await expect(page.getByTestId('error-alert')).toHaveCount(0);
  await shot(page, 'import-already-stored');
  await page.getByTestId('import-stored-link').click();
  await expect(page).toHaveURL(new RegExp(`/certificates/${id}$`));
});

test('an import that finds the certificate stored meanwhile says so and links it', async ({ page }) => {
  await page.goto('/import');
  const leaf = pki.leaf(`race${stamp}.example.test`, ica);
  const files = [
    file('server.crt', leaf.certPem),
    file('server.key', leaf.keyPem),
    file('ca.pem', ica.certPem),
  ];
  // Trust the root first, so the check passes.
  await importByApi(page, [file('other.crt', pki.leaf(`other${stamp}.example.test`, ica).certPem)]);
  await drop(page, files);
  await page.getByTestId('import-check').click();
  await expect(page.getByTestId('import-ready')).toBeVisible();
  // Someone else imports the same certificate between the check and the import.
  const id = await importByApi(page, files);
  await page.getByTestId('import-confirm').click();
  const exists = page.getByTestId('import-exists');
  await expect(exists).toContainText('Already in the inventory');
  await expect(exists).toContainText(`already stored as #${id}`);
  await expect(page.getByText('The files could not be read')).toHaveCount(0);
  await expect(page.getByTestId('import-ready')).toHaveCount(0);
  await shot(page, 'import-exists');
  await page.getByTestId('import-exists-link').click();
  await expect(page).toHaveURL(new RegExp(`/certificates/${id}$`));
});

test('a wrong PFX password has its own heading, not "could not be read"', async ({ page }) => {
  const leaf = pki.leaf(`pfx${stamp}.example.test`, ica, { key: 'rsa2048' });
  const pfx = pki.pfx(leaf, [ica], 'right password', 'modern', 'PFX outcome');
  await page.goto('/import');
  await drop(page, [file('server.pfx', pfx)]);
  await page.getByTestId('import-password').fill('wrong password');
  await page.getByTestId('import-check').click();
  const alert = page.getByTestId('import-password-error');
  await expect(alert).toContainText('The password is wrong');
  await expect(alert).toContainText('WRONG_PASSWORD');
  await expect(page.getByText('The files could not be read')).toHaveCount(0);
  await shot(page, 'import-wrong-password');
  // A damaged file still reads "could not be read".
  await page.getByRole('button', { name: 'Remove server.pfx' }).click();
  await drop(page, [file('broken.crt', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')]);
  await page.getByTestId('import-check').click();
  await expect(page.getByTestId('error-alert')).toContainText('The files could not be read');
});

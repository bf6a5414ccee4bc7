import { expect, type Page, test } from '@playwright/test';
import { type Issued, TestPki } from '../../server/test/support/pki.js';
import { shot } from '../support/shot.js';

/**
 * Import in automatic and manual mode through the UI, with fixtures made by openssl at test time: a
 * private root (added first as a trust anchor on the Trust anchors page), two intermediates, leaves.
 */

const pki = new TestPki();
let root: Issued;
let ica1: Issued;
let ica2: Issued;
const stamp = Date.now();

test.beforeAll(() => {
  root = pki.root(`E2E Root ${stamp}`, { key: 'rsa2048' });
  ica1 = pki.intermediate(`E2E Policy CA ${stamp}`, root, { key: 'rsa2048' });
  ica2 = pki.intermediate(`E2E Issuing CA ${stamp}`, ica1);
});
test.afterAll(() => pki.cleanup());

const file = (name: string, data: string | Buffer) => ({
  name,
  mimeType: 'application/octet-stream',
  buffer: Buffer.from(data),
});

async function drop(page: Page, testId: string, files: ReturnType<typeof file>[]) {
  await page.getByTestId(testId).locator('input[type=file]').setInputFiles(files);
}

test('trust anchors: add the enterprise root, see it listed', async ({ page }) => {
  await page.goto('/trust-anchors');
  await expect(page.getByRole('heading', { name: 'Trust anchors' })).toBeVisible();
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('trust-anchor-add').click();
  await (await chooser).setFiles(file('root.cer', root.certDer));
  await expect(page.getByTestId('trust-anchor-table')).toContainText(`E2E Root ${stamp}`);
  await shot(page, 'trust-anchors');
  // A second root, removed again after confirming.
  const spare = pki.root(`E2E Spare Root ${stamp}`);
  const chooser2 = page.waitForEvent('filechooser');
  await page.getByTestId('trust-anchor-add').click();
  await (await chooser2).setFiles(file('spare.pem', spare.certPem));
  await expect(page.getByTestId('trust-anchor-table')).toContainText(`E2E Spare Root ${stamp}`);
  await page.getByRole('button', { name: `Remove E2E Spare Root ${stamp}` }).click();
  await expect(page.getByRole('dialog')).toContainText('Remove trust anchor?');
  await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByTestId('trust-anchor-table')).not.toContainText(`E2E Spare Root ${stamp}`);
  await expect(page.getByTestId('trust-anchor-table')).toContainText(`E2E Root ${stamp}`);
  // A leaf is not a CA: refused with the server's sentence.
  const chooser3 = page.waitForEvent('filechooser');
  await page.getByTestId('trust-anchor-add').click();
  await (await chooser3).setFiles(file('leaf.pem', pki.leaf(`leaf${stamp}.example.test`, root).certPem));
  await expect(page.getByTestId('error-alert')).toContainText('is not a CA certificate');
});

test('automatic mode: certificate + key + intermediates bundle → report → import → link', async ({
  page,
}) => {
  const leaf = pki.leaf(`auto${stamp}.example.test`, ica2, { key: 'ec256' });
  await page.goto('/import');
  await expect(page.getByRole('heading', { name: 'Import certificate' })).toBeVisible();
  await expect(page.getByTestId('import-policy')).toContainText('Chain complete and trusted');
  await shot(page, 'import-empty');
  // Bundle in the wrong order on purpose: certdesk orders it.
  await drop(page, 'import-dropzone', [
    file('server.crt', leaf.certPem),
    file('server.key', leaf.keyPem),
    file('ca-bundle.pem', ica1.certPem + ica2.certPem),
  ]);
  await expect(page.getByTestId('import-dropzone-list')).toContainText('ca-bundle.pem');
  await page.getByTestId('import-check').click();
  await expect(page.getByTestId('import-ready')).toBeVisible();
  const chain = page.getByTestId('chain-list').locator('li');
  await expect(chain).toHaveCount(4);
  await expect(chain.nth(0)).toContainText(`auto${stamp}.example.test`);
  await expect(chain.nth(1)).toContainText(`E2E Issuing CA ${stamp}`);
  await expect(chain.nth(2)).toContainText(`E2E Policy CA ${stamp}`);
  await expect(chain.nth(3)).toContainText(`E2E Root ${stamp}`);
  await expect(page.locator('[data-check="chain"]')).toHaveAttribute('data-status', 'pass');
  await expect(page.locator('[data-check="key-match"]')).toHaveAttribute('data-status', 'pass');
  await shot(page, 'import-auto-report');
  await page.getByTestId('import-confirm').click();
  await expect(page.getByTestId('import-done')).toBeVisible();
  await shot(page, 'import-auto-done');
  await page.getByTestId('import-link').click();
  await expect(page).toHaveURL(/\/certificates\/\d+$/);
});

test('manual mode: intermediates uploaded separately in any order; the root is dropped and said so', async ({
  page,
}) => {
  const leaf = pki.leaf(`manual${stamp}.example.test`, ica2, { key: 'rsa2048' });
  const pfx = pki.pfx(leaf, [], 'Pässwort 1', 'modern', 'Manual friendly name');
  await page.goto('/import');
  await drop(page, 'import-dropzone', [file('server.pfx', pfx)]);
  await page.getByTestId('import-password').fill('Pässwort 1');
  await page.getByText('Manual', { exact: true }).click();
  await drop(page, 'import-intermediates', [
    file('root.pem', root.certPem),
    file('policy.cer', ica1.certDer),
    file('issuing.pem', ica2.certPem),
  ]);
  await page.getByTestId('import-check').click();
  await expect(page.getByTestId('import-ready')).toBeVisible();
  await expect(page.getByTestId('chain-list').locator('li')).toHaveCount(4);
  await expect(page.getByTestId('dropped-list')).toContainText('root.pem');
  await expect(page.getByTestId('dropped-list')).toContainText('Root certificate');
  await shot(page, 'import-manual-report');
  await page.getByTestId('import-confirm').click();
  await expect(page.getByTestId('import-done')).toContainText('Manual friendly name');
});

test('a refused import shows the report with the blocking check, and stores nothing', async ({ page }) => {
  const leaf = pki.leaf(`wrongkey${stamp}.example.test`, ica2);
  const other = pki.leaf(`other${stamp}.example.test`, ica2, { key: 'rsa2048' });
  await page.goto('/import');
  await drop(page, 'import-dropzone', [
    file('server.crt', leaf.certPem),
    file('wrong.key', other.keyPem),
    file('chain.pem', ica2.certPem + ica1.certPem),
  ]);
  await page.getByTestId('import-check').click();
  await expect(page.getByTestId('import-refused')).toContainText('does not belong to the certificate');
  await expect(page.locator('[data-check="key-match"]')).toHaveAttribute('data-status', 'fail');
  await expect(page.getByTestId('import-confirm')).toBeDisabled();
  await shot(page, 'import-refused');
  const list = await page.request.get(`/api/certificates?q=wrongkey${stamp}`);
  expect(list.status()).toBe(200);
  expect(((await list.json()) as { total: number }).total).toBe(0);
});

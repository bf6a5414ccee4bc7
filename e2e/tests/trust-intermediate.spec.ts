import { expect, test } from '@playwright/test';
import { type Issued, TestPki } from '../../server/test/support/pki.js';
import { shot } from '../support/shot.js';

/**
 * Issue 11 item 3: an intermediate uploaded as a trust anchor is refused with the reason and two ways on
 * (add the root, or trust this intermediate deliberately), never a dead end.
 */

const pki = new TestPki();
const stamp = Date.now();
let intermediate: Issued;

test.beforeAll(() => {
  const root = pki.root(`E2E Hidden Root ${stamp}`, { key: 'rsa2048' });
  intermediate = pki.intermediate(`E2E Issuing Only CA ${stamp}`, root, { key: 'rsa2048' });
});
test.afterAll(() => pki.cleanup());

test('trust anchors: an intermediate is explained, and can be trusted on purpose', async ({ page }) => {
  await page.goto('/trust-anchors');
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('trust-anchor-add').click();
  await (await chooser).setFiles({
    name: 'issuing-ca.cer',
    mimeType: 'application/octet-stream',
    buffer: intermediate.certDer,
  });
  const choice = page.getByTestId('trust-anchor-intermediate');
  await expect(choice).toContainText('This is an intermediate CA, not a root');
  await expect(choice).toContainText("Add that CA's root certificate instead");
  await shot(page, 'trust-anchors-intermediate-choice');

  await page.getByTestId('trust-anchor-allow-intermediate').click();
  await expect(page.getByTestId('trust-anchor-warning')).toBeVisible();
  await expect(page.getByTestId('trust-anchor-table')).toContainText(`E2E Issuing Only CA ${stamp}`);
  await expect(page.getByTestId('trust-anchor-table')).toContainText('Intermediate');
  await expect(choice).toHaveCount(0);
  await shot(page, 'trust-anchors-intermediate-trusted');
});

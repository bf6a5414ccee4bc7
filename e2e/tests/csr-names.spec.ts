import { expect, test } from '@playwright/test';
import { shot } from '../support/shot.js';

/**
 * Host names internal CAs issue (single-label, localhost) are accepted with a warning; a name over the
 * CN's 64 characters goes in the SANs with a shorter CN or none.
 */

test('localhost and a single-label name: accepted, with a warning that public CAs refuse them', async ({
  page,
}) => {
  await page.goto('/csrs/new');
  const cn = page.getByLabel('Common name (CN)');
  await cn.fill('localhost');
  await cn.blur();
  const sans = page.getByRole('textbox', { name: 'Subject alternative names (SANs)' });
  await sans.fill('intranet');
  await sans.press('Enter');
  const warnings = page.getByTestId('csr-name-warnings');
  await expect(warnings).toContainText('"localhost" names the local machine: public CAs refuse it');
  await expect(warnings).toContainText('"intranet" is a single-label name: public CAs refuse it');
  await expect(page.getByText('fully qualified')).toHaveCount(0);
  await shot(page, 'csr-names-internal');
  await page.getByTestId('wizard-next').click();
  await page.getByText('ECDSA', { exact: true }).click();
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('csr-review')).toContainText('intranet');
  await expect(page.getByTestId('csr-name-warnings')).toBeVisible();
  await page.getByTestId('wizard-generate').click();
  await expect(page.getByTestId('csr-created')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('link', { name: /^Open CSR #\d+$/ }).click();
  await expect(page.getByTestId('csr-sans-list')).toContainText('intranet');
  await expect(page.getByTestId('csr-name-warnings')).toContainText('public CAs refuse it');
});

test('a name over 64 characters: the form explains, then it goes in the SANs with no CN', async ({
  page,
}) => {
  const long = `customer-portal-frontend.eu-west-1.production.internal${Date.now()}.example.com`;
  await page.goto('/csrs/new');
  const cn = page.getByLabel('Common name (CN)');
  await expect(
    page.getByText('At most 64 characters: a longer name goes in the alternative names'),
  ).toBeVisible();
  await cn.fill(long);
  await cn.blur();
  await expect(
    page.getByText(/characters long; a certificate's CN holds at most 64\. Put the full name/),
  ).toBeVisible();
  await shot(page, 'csr-names-long-cn');
  // Move it to the SANs and leave the CN empty.
  await cn.fill('');
  const sans = page.getByRole('textbox', { name: 'Subject alternative names (SANs)' });
  await sans.fill(long);
  await sans.press('Enter');
  await expect(page.getByText(/holds at most 64/)).toHaveCount(0);
  await page.getByTestId('wizard-next').click();
  await page.getByText('ECDSA', { exact: true }).click();
  await page.getByTestId('wizard-next').click();
  const review = page.getByTestId('csr-review');
  await expect(review).toContainText('None: the names are in the SANs');
  await expect(review).toContainText(long);
  await shot(page, 'csr-names-no-cn-review');
  await page.getByTestId('wizard-generate').click();
  await expect(page.getByTestId('csr-created')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('link', { name: /^Open CSR #\d+$/ }).click();
  await expect(page.getByText('None: the names are in the subject alternative names')).toBeVisible();
  await expect(
    page.getByRole('heading', { name: new RegExp(`CSR #\\d+: ${long.replace(/\./g, '\\.')}`) }),
  ).toBeVisible();
});

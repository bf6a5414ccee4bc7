import { expect, test } from '@playwright/test';
import { shot } from '../support/shot.js';

/** SAN errors (issue 14, item 2): one message per bad entry, on its own chip, good entries left alone. */

test('each bad SAN is marked on its chip with its own message; removing it clears its message', async ({
  page,
}) => {
  await page.goto('/csrs/new');
  await expect(page.getByRole('heading', { name: 'Generate CSR' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Common name (CN)' }).fill('shop.example.com');
  const sans = page.getByRole('textbox', { name: 'Subject alternative names (SANs)' });
  for (const entry of ['www.example.com', 'https://api.example.com/', 'bad_host!', '10.0.0.5']) {
    await sans.fill(entry);
    await sans.press('Enter');
  }

  const errors = page.getByTestId('san-error');
  await expect(errors).toHaveCount(2);
  await expect(errors.nth(0)).toContainText('https://api.example.com/:');
  await expect(errors.nth(0)).toContainText('scheme');
  await expect(errors.nth(1)).toContainText('bad_host!:');
  const chips = page.getByTestId('san-chip');
  await expect(chips.filter({ hasText: 'bad_host!' })).toHaveAttribute('data-invalid', 'true');
  await expect(chips.filter({ hasText: 'www.example.com' })).not.toHaveAttribute('data-invalid');
  await expect(chips.filter({ hasText: '10.0.0.5' })).not.toHaveAttribute('data-invalid');
  await shot(page, 'csr-san-errors');

  await page.getByRole('button', { name: 'Remove bad_host!' }).click();
  await expect(errors).toHaveCount(1);
  await page.getByRole('button', { name: 'Remove https://api.example.com/' }).click();
  await expect(errors).toHaveCount(0);
  await page.getByTestId('wizard-next').click();
  await expect(page.getByRole('heading', { name: 'Step 2 of 4: Key' })).toBeVisible();
});

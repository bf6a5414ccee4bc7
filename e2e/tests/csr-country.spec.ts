import { expect, type Page, test } from '@playwright/test';
import { shot } from '../support/shot.js';

/**
 * The CSR wizard's country picker (issue 14, item 3): alpha-3 codes and the names people use match, the
 * exact code comes first, and leaving the field never silently throws away what was typed.
 */

async function typeCountry(page: Page, text: string) {
  const input = page.getByRole('textbox', { name: 'Country (C)' });
  await input.click();
  await input.fill(text);
  return input;
}

test.beforeEach(async ({ page }) => {
  await page.goto('/csrs/new');
  await expect(page.getByRole('heading', { name: 'Generate CSR' })).toBeVisible();
});

test('USA, UK and CHE find their country; CH lists Switzerland before Chad', async ({ page }) => {
  await typeCountry(page, 'USA');
  await expect(page.getByRole('option').first()).toHaveText('United States of America (US)');

  await typeCountry(page, 'UK');
  const options = page.getByRole('option');
  await expect(options.first()).toHaveText('United Kingdom (GB)');
  await expect(options.filter({ hasText: 'Ukraine (UA)' })).toHaveCount(1);

  await typeCountry(page, 'CH');
  await expect(options.first()).toHaveText('Switzerland (CH)');
  await shot(page, 'csr-country-ch');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('textbox', { name: 'Country (C)' })).toHaveValue('Switzerland (CH)');
});

test('leaving the field picks an exact code or name, and keeps what matches nothing with a message', async ({
  page,
}) => {
  const input = await typeCountry(page, 'che');
  await input.press('Tab');
  await expect(input).toHaveValue('Switzerland (CH)');

  await typeCountry(page, 'Atlantis');
  await input.press('Tab');
  await expect(input).toHaveValue('Atlantis');
  await expect(page.getByText('No country matches “Atlantis”')).toBeVisible();
  await shot(page, 'csr-country-unknown');

  await typeCountry(page, 'USA');
  await input.press('Tab');
  await expect(input).toHaveValue('United States of America (US)');
  await expect(page.getByText('No country matches')).toHaveCount(0);
});

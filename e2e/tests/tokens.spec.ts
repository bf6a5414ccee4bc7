import { expect, test } from '@playwright/test';
import { ADMIN_PASSWORD } from '../support/env.js';
import { shot } from '../support/shot.js';

test('create an API token, use it, delete it', async ({ page, playwright, baseURL }) => {
  const name = `e2e token ${Date.now()}`;
  await page.goto('/tokens');
  await expect(page.getByRole('heading', { name: 'API tokens' })).toBeVisible();

  await page.getByRole('textbox', { name: 'Token name' }).fill(name);
  await page.getByRole('button', { name: 'Create token' }).click();

  // A token outlives the session: the account password is asked again.
  const prompt = page.getByRole('dialog', { name: 'Confirm with your password' });
  await prompt.getByLabel('Your account password').fill('not the password');
  await prompt.getByRole('button', { name: 'Create token' }).click();
  await expect(prompt).toContainText('The account password is wrong');
  await prompt.getByLabel('Your account password').fill(ADMIN_PASSWORD);
  await prompt.getByRole('button', { name: 'Create token' }).click();

  // Shown once, with a copy button and a warning.
  const dialog = page.getByRole('dialog', { name: `Token “${name}” created` });
  await expect(dialog).toContainText('This is the only time the token is shown');
  const token = ((await dialog.getByTestId('new-token').locator('pre').textContent()) ?? '').trim();
  expect(token.length).toBeGreaterThan(20);
  await expect(dialog.getByRole('button', { name: 'Copy' })).toBeVisible();
  await shot(page, 'token-created');
  await dialog.getByRole('button', { name: 'I have copied it' }).click();
  await expect(dialog).toBeHidden();

  const row = page.getByTestId('tokens-table').getByRole('row').filter({ hasText: name });
  await expect(row).toBeVisible();
  await expect(row).toContainText('Never');
  await expect(row.getByTestId('expiry-badge')).toHaveText(/^(89|90) days left$/);
  // The list shows the token's first characters, never the whole token.
  await expect(page.getByTestId('tokens-table')).not.toContainText(token);

  // The token works as a Bearer credential (a separate client, no cookies).
  const bearer = await playwright.request.newContext({
    baseURL,
    extraHTTPHeaders: { authorization: `Bearer ${token}` },
  });
  expect((await bearer.get('/api/auth/me')).status()).toBe(200);

  await page.reload();
  await expect(row).not.toContainText('Never');
  await shot(page, 'tokens-list');

  // Delete asks first; cancel keeps it.
  await row.getByRole('button', { name: `Delete token ${name}` }).click();
  const confirm = page.getByRole('dialog');
  await expect(confirm).toContainText('Delete API token?');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(row).toBeVisible();

  await row.getByRole('button', { name: `Delete token ${name}` }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete token' }).click();
  await expect(row).toHaveCount(0);
  expect((await bearer.get('/api/auth/me')).status()).toBe(401);
  await bearer.dispose();
});

test('an empty token name cannot be submitted', async ({ page }) => {
  await page.goto('/tokens');
  await expect(page.getByRole('button', { name: 'Create token' })).toBeDisabled();
  await page.getByRole('textbox', { name: 'Token name' }).fill('   ');
  await expect(page.getByRole('button', { name: 'Create token' })).toBeDisabled();
});

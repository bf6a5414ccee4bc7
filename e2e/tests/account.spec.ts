import { expect, test } from '@playwright/test';
import { apiAs } from '../support/api.js';
import { renewSharedSession, signIn } from '../support/auth.js';
import { ADMIN_PASSWORD, ADMIN_USER, BASE_URL } from '../support/env.js';
import { shot } from '../support/shot.js';

/**
 * The account menu: change password and sign out everywhere. Both end the admin's other sessions, the one
 * the other specs share too, so this spec signs in on its own and renews that session at the end.
 */
test.describe.configure({ mode: 'serial' });
test.use({ storageState: { cookies: [], origins: [] } });
test.afterAll(async ({ browser }) => renewSharedSession(browser));

const NEW_PASSWORD = 'e2e a different passphrase';

test('change password: the current password is checked, this browser stays signed in', async ({
  page,
  browser,
}) => {
  await signIn(page);
  const other = await browser.newPage({ baseURL: BASE_URL });
  await signIn(other);

  await page.getByRole('button', { name: `Account ${ADMIN_USER}` }).click();
  await page.getByRole('menuitem', { name: 'Change password' }).click();
  const dialog = page.getByRole('dialog', { name: 'Change password' });
  await dialog.getByLabel('Current password').fill('not the password');
  await dialog.getByLabel(/^New password( \*)?$/).fill(NEW_PASSWORD);
  await dialog.getByLabel('New password again').fill(NEW_PASSWORD);
  await shot(page, 'change-password');
  await dialog.getByRole('button', { name: 'Change password' }).click();
  await expect(dialog).toContainText('The account password is wrong');

  await dialog.getByLabel('Current password').fill(ADMIN_PASSWORD);
  await dialog.getByRole('button', { name: 'Change password' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('Password changed. Your other sessions were signed out.')).toBeVisible();

  // This browser goes on; the other one was signed out.
  await page.goto('/tokens');
  await expect(page.getByRole('heading', { name: 'API tokens' })).toBeVisible();
  expect((await other.request.get('/api/auth/me')).status()).toBe(401);
  await other.close();

  // Put the password back for the other specs.
  const api = await apiAs(page);
  const back = await api.post('/api/auth/password', {
    currentPassword: NEW_PASSWORD,
    newPassword: ADMIN_PASSWORD,
  });
  expect(back.status(), await back.text()).toBe(204);
});

test('sign out everywhere ends this session too', async ({ page, browser }) => {
  await signIn(page);
  const other = await browser.newPage({ baseURL: BASE_URL });
  await signIn(other);

  await page.getByRole('button', { name: `Account ${ADMIN_USER}` }).click();
  await page.getByRole('menuitem', { name: 'Sign out everywhere' }).click();
  const dialog = page.getByRole('dialog', { name: 'Sign out everywhere?' });
  await dialog.getByRole('button', { name: 'Sign out everywhere' }).click();
  await page.waitForURL('**/login');
  expect((await page.request.get('/api/auth/me')).status()).toBe(401);
  expect((await other.request.get('/api/auth/me')).status()).toBe(401);
  await other.close();
});

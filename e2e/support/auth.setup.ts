import { expect, test as setup } from '@playwright/test';
import { signIn } from './auth.js';
import { ADMIN_USER, AUTH_STATE } from './env.js';

// Signs in once through the UI; every test of the main project starts with these cookies.
setup('sign in as the administrator', async ({ page }) => {
  await signIn(page);
  await expect(page.getByTestId('signed-in-user')).toContainText(ADMIN_USER);
  await page.context().storageState({ path: AUTH_STATE });
});

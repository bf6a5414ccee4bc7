import { type Browser, expect, type Page } from '@playwright/test';
import { ADMIN_PASSWORD, ADMIN_USER, AUTH_STATE, BASE_URL } from './env.js';

/** Signs in through the real sign-in form and waits for the console shell. */
export async function signIn(page: Page, username = ADMIN_USER, password = ADMIN_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByRole('textbox', { name: 'User name', exact: true }).fill(username);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/**
 * Signs in again and saves the cookies every other spec starts with (what the setup project did). For
 * specs that end the admin's other sessions on purpose: a password change, "sign out everywhere", or
 * confirming the switch to HTTPS (which ends every session signed in over plain HTTP).
 */
export async function renewSharedSession(browser: Browser): Promise<void> {
  const page = await browser.newPage({ baseURL: BASE_URL });
  try {
    await signIn(page);
    await page.context().storageState({ path: AUTH_STATE });
  } finally {
    await page.close();
  }
}

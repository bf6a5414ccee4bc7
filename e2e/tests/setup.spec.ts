import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { FIRST_RUN_BASE_URL, FIRST_RUN_DATA_DIR } from '../support/env.js';
import { shot } from '../support/shot.js';

// The second server (no CERTDESK_ADMIN_PASSWORD) starts with no account and a one-time token in its data dir.
test.use({ baseURL: FIRST_RUN_BASE_URL, storageState: { cookies: [], origins: [] } });
test.describe.configure({ mode: 'serial' });

const OWNER = 'owner';
const OWNER_PASSWORD = 'first run passphrase 42';

test('first-run setup through the one-time link creates the administrator', async ({ page }) => {
  const tokenFile = path.join(FIRST_RUN_DATA_DIR, 'setup-token');
  const token = fs.readFileSync(tokenFile, 'utf8').trim();
  expect(token.length).toBeGreaterThan(10);

  // Sign-in page points to setup while no account exists.
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByText('No administrator yet')).toBeVisible();
  // It names the real token file (this server's data directory), not a guessed "data/setup-token".
  await expect(page.getByTestId('setup-token-file')).toHaveText(tokenFile);
  await shot(page, 'login-setup-hint');

  // Without the token in the link the form asks for it, and a wrong one is refused by the server.
  await page.goto('/setup');
  await expect(page.getByRole('heading', { name: 'Create the administrator' })).toBeVisible();
  await expect(page.getByTestId('setup-token-file')).toHaveText(tokenFile);
  await page.getByRole('textbox', { name: 'Setup token', exact: true }).fill('not-the-token');
  await page.getByRole('textbox', { name: 'User name', exact: true }).fill(OWNER);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(OWNER_PASSWORD);
  await page.getByRole('textbox', { name: 'Confirm password', exact: true }).fill(OWNER_PASSWORD);
  await page.getByRole('button', { name: 'Create account and sign in' }).click();
  await expect(page.getByTestId('error-alert')).toContainText('SETUP_TOKEN_INVALID');

  await page.goto(`/setup?token=${encodeURIComponent(token)}`);
  await expect(page.getByRole('textbox', { name: 'Setup token', exact: true })).toHaveCount(0);
  await page.getByRole('textbox', { name: 'User name', exact: true }).fill(OWNER);
  // Client-side checks first: too short, then not the same twice.
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill('short');
  await page.getByRole('textbox', { name: 'Confirm password', exact: true }).fill('short');
  await page.getByRole('button', { name: 'Create account and sign in' }).click();
  await expect(page.getByText('Use at least 12 characters.')).toBeVisible();
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(OWNER_PASSWORD);
  await page.getByRole('textbox', { name: 'Confirm password', exact: true }).fill(`${OWNER_PASSWORD}!`);
  await expect(page.getByText('The two passwords are not the same.')).toBeVisible();
  await shot(page, 'setup-form');
  await page.getByRole('textbox', { name: 'Confirm password', exact: true }).fill(OWNER_PASSWORD);
  await page.getByRole('button', { name: 'Create account and sign in' }).click();

  // Signed in straight away, in the console.
  await expect(page).toHaveURL((url) => url.pathname === '/');
  await expect(page.getByTestId('signed-in-user')).toContainText(OWNER);
  expect(fs.existsSync(tokenFile), 'the setup token file is removed once used').toBe(false);

  // The link is dead now.
  await page.goto(`/setup?token=${encodeURIComponent(token)}`);
  await expect(page.getByRole('heading', { name: 'Setup is already done' })).toBeVisible();

  // And the new account works for a fresh sign-in.
  await page.context().clearCookies();
  await page.goto('/login');
  await page.getByRole('textbox', { name: 'User name', exact: true }).fill(OWNER);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(OWNER_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signed-in-user')).toContainText(OWNER);
});

test('repeated wrong passwords are rate limited, and the form says so', async ({ page }) => {
  // This server only: the lock-out covers the client address, which must not slow the main server's tests.
  await page.goto('/login');
  await page.getByRole('textbox', { name: 'User name', exact: true }).fill(OWNER);
  const error = page.getByTestId('login-error');
  let limited = false;
  // Five free attempts, then an exponential lock; bounded so a broken limiter fails instead of spinning.
  for (let attempt = 1; attempt <= 12 && !limited; attempt++) {
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(`wrong password ${attempt}`);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/auth/login')),
      page.getByRole('button', { name: 'Sign in' }).click(),
    ]);
    limited = response.status() === 429;
    await expect(error).toContainText(limited ? 'Too many' : 'user name or password is wrong');
  }
  expect(limited, 'a lock-out message within 12 attempts').toBe(true);
  await shot(page, 'login-rate-limited');
});

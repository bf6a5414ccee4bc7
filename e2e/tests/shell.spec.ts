import { expect, test } from '@playwright/test';
import { apiAs } from '../support/api.js';
import { signIn } from '../support/auth.js';
import { ADMIN_PASSWORD, ADMIN_USER, BASE_URL } from '../support/env.js';
import { shot } from '../support/shot.js';

const NAV: { label: string; path: string; slug: string }[] = [
  { label: 'Dashboard', path: '/', slug: 'dashboard' },
  { label: 'Certificates', path: '/certificates', slug: 'certificates' },
  { label: 'Generate CSR', path: '/csrs/new', slug: 'csr-new' },
  { label: 'CSRs', path: '/csrs', slug: 'csrs' },
  { label: 'Import', path: '/import', slug: 'import' },
  { label: 'Trust anchors', path: '/trust-anchors', slug: 'trust-anchors' },
  { label: 'Server Settings', path: '/settings', slug: 'settings' },
  { label: 'Notifications', path: '/notifications', slug: 'notifications' },
  { label: 'Tools', path: '/tools', slug: 'tools' },
  { label: 'API tokens', path: '/tokens', slug: 'tokens' },
  { label: 'Audit log', path: '/audit', slug: 'audit' },
];

test.describe('console shell', () => {
  test('every navigation entry opens its page', async ({ page }) => {
    // Uncaught exceptions and CSP violations (the server forbids inline scripts) fail the walk.
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text()))
        problems.push(`CSP: ${msg.text()}`);
    });
    await page.goto('/');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(page.getByTestId('signed-in-user')).toContainText(ADMIN_USER);
    for (const item of NAV) {
      await nav.getByRole('link', { name: item.label, exact: true }).click();
      await expect(page).toHaveURL((url) => url.pathname === item.path);
      // Exactly one entry is marked current, and it is this one (Generate CSR must not light up CSRs).
      await expect(nav.locator('[aria-current="page"]')).toHaveCount(1);
      await expect(nav.getByRole('link', { name: item.label, exact: true })).toHaveAttribute(
        'aria-current',
        'page',
      );
      await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
      await expect(page.getByText('Page not found')).toHaveCount(0);
      await shot(page, `page-${item.slug}`);
    }
    expect(problems).toEqual([]);
  });

  test('a reload on a deep link serves the console (SPA fallback)', async ({ page }) => {
    await page.goto('/audit?action=auth.');
    await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  });

  test('an unknown address shows a not-found page inside the shell', async ({ page }) => {
    await page.goto('/no-such-page');
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    await page.getByRole('link', { name: 'Go to the dashboard' }).click();
    await expect(page).toHaveURL((url) => url.pathname === '/');
  });

  test('narrow windows: navigation at 900px, burger menu on a phone', async ({ page }) => {
    await page.setViewportSize({ width: 900, height: 800 });
    await page.goto('/tokens');
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    await shot(page, 'narrow-900-tokens');
    await page.goto('/audit');
    await expect(page.getByTestId('audit-table')).toBeVisible();
    await shot(page, 'narrow-900-audit');
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await shot(page, 'narrow-900-dashboard');

    await page.setViewportSize({ width: 420, height: 800 });
    await page.goto('/audit');
    await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
    await page.getByRole('button', { name: 'Toggle navigation' }).click();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav).toBeVisible();
    await shot(page, 'phone-menu-open');
    await nav.getByRole('link', { name: 'API tokens' }).click();
    await expect(page).toHaveURL(/\/tokens$/);
    await expect(page.getByRole('heading', { name: 'API tokens' })).toBeVisible();
  });
});

test.describe('signing in and out', () => {
  // Own cookies: signing out must not end the session the other tests share.
  test.use({ storageState: { cookies: [], origins: [] } });

  test('a guarded page sends you to sign in and back again', async ({ page }) => {
    await page.goto('/audit');
    await expect(page).toHaveURL(/\/login\?next=%2Faudit$/);
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await shot(page, 'login');
    await page.getByRole('textbox', { name: 'User name', exact: true }).fill(ADMIN_USER);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/audit$/);
    await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  });

  test('the sign-in page never sends you to another site', async ({ page }) => {
    await page.goto('/login?next=%2F%2Fexample.com%2Fphish');
    await page.getByRole('textbox', { name: 'User name', exact: true }).fill(ADMIN_USER);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
    expect(new URL(page.url()).origin).toBe(new URL(BASE_URL).origin);
    expect(new URL(page.url()).pathname).toBe('/');
  });

  test('a wrong password says so and signs nobody in', async ({ page }) => {
    await page.goto('/login');
    await page.getByRole('textbox', { name: 'User name', exact: true }).fill(ADMIN_USER);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('login-error')).toContainText('user name or password is wrong');
    await expect(page).toHaveURL(/\/login/);
    await shot(page, 'login-wrong-password');
    const me = await page.request.get('/api/auth/me');
    expect(me.status()).toBe(401);
  });

  test('a session that ends while the console is open leads to sign-in, then back', async ({ page }) => {
    await signIn(page);
    await page.goto('/audit');
    await expect(page.getByTestId('audit-table')).toBeVisible();
    // End the session behind the console's back (as an expiry or a sign-out in another tab would).
    const api = await apiAs(page);
    expect((await api.post('/api/auth/logout')).status()).toBe(204);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API tokens' }).click();
    await expect(page).toHaveURL(/\/login\?next=%2Ftokens$/);
    await page.getByRole('textbox', { name: 'User name', exact: true }).fill(ADMIN_USER);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'API tokens' })).toBeVisible();
  });

  test('sign out ends the session', async ({ page }) => {
    await signIn(page);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login$/);
    expect((await page.request.get('/api/auth/me')).status()).toBe(401);
    // Back button / bookmark: the console does not come back without signing in.
    await page.goto('/tokens');
    await expect(page).toHaveURL(/\/login\?next=%2Ftokens$/);
  });
});

import { expect, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from '../support/a11y.js';
import { apiAs } from '../support/api.js';
import { signIn } from '../support/auth.js';
import { ADMIN_PASSWORD, ADMIN_USER } from '../support/env.js';
import { type ExtraServer, startExtraServer } from '../support/extra-server.js';
import { shot } from '../support/shot.js';
import { totpAt } from '../support/totp.js';

/**
 * Two-factor sign-in on a server of its own: turning TOTP on for the shared server's admin would make
 * every other spec's sign-in ask for a code.
 */
test.describe.configure({ mode: 'serial' });
test.use({ storageState: { cookies: [], origins: [] } });

let server: ExtraServer;
test.beforeAll(async () => {
  server = await startExtraServer();
});
test.afterAll(async () => server?.stop());

test('enrol in the UI, sign out, sign in with a code from the app, then with a recovery code', async ({
  browser,
}) => {
  // Three sign-ins, an enrolment and four axe scans on a shared 2-core machine.
  test.setTimeout(180_000);
  const context = await browser.newContext({ baseURL: server.baseURL });
  const page = await context.newPage();
  try {
    await signIn(page);
    await page.getByRole('button', { name: `Account ${ADMIN_USER}` }).click();
    await page.getByRole('menuitem', { name: 'Two-factor sign-in' }).click();
    await expect(page.getByRole('heading', { name: 'Two-factor sign-in', level: 1 })).toBeVisible();
    await page.getByTestId('totp-start').click();

    // The QR code is an image (data: URL), not markup put into the page.
    const qr = page.getByRole('img', { name: 'QR code for your authenticator app' });
    await expect(qr).toBeVisible();
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(await page.locator('main svg path[d^="M0"]').count()).toBe(0);
    const secret = (await page.getByTestId('totp-secret').innerText()).replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await shot(page, 'totp-enrol');
    await expectNoSeriousA11yViolations(page, 'two-factor set-up');

    await page.getByRole('textbox', { name: 'Code from the app' }).fill(totpAt(secret, Date.now()));
    await page.getByRole('button', { name: 'Turn on' }).click();
    const codes = page.getByTestId('recovery-codes');
    await expect(codes).toBeVisible();
    const recovery = (await codes.innerText()).split(/\s+/).filter(Boolean);
    expect(recovery).toHaveLength(10);
    await expect(page.getByRole('button', { name: 'Download .txt' })).toBeVisible();
    await shot(page, 'totp-recovery-codes');
    await expectNoSeriousA11yViolations(page, 'recovery codes');
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await expect(page.getByTestId('totp-status')).toHaveText('On');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/login/);

    await page.getByRole('textbox', { name: 'User name', exact: true }).fill(ADMIN_USER);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const code = page.getByRole('textbox', { name: 'Authentication code' });
    await expect(code).toBeVisible();
    await expect(code).toHaveAttribute('autocomplete', 'one-time-code');
    await expect(code).toHaveAttribute('inputmode', 'numeric');
    await expect(page.getByRole('button', { name: 'Use a recovery code' })).toBeVisible();

    await code.fill('000000');
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await expect(page.getByTestId('login-error')).toContainText('The code is wrong');
    await shot(page, 'totp-sign-in-code');
    await expectNoSeriousA11yViolations(page, 'sign-in code step');

    // The enrolment code's step is spent; the next step's code is inside the ±1 step window.
    await code.fill(totpAt(secret, Date.now() + 30_000));
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();

    // And once more with a recovery code.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('textbox', { name: 'User name', exact: true }).fill(ADMIN_USER);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Use a recovery code' }).click();
    await page.getByRole('textbox', { name: 'Recovery code' }).fill(recovery[0] as string);
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();

    // Re-authentication before a key leaves the server asks for a code too (here a recovery code).
    const api = await apiAs(page);
    const csr = await api.post('/api/csrs', {
      commonName: 'totp.e2e.example',
      keyType: 'ec',
      curve: 'P-256',
    });
    expect(csr.status()).toBe(201);
    await page.goto(`/csrs/${((await csr.json()) as { id: number }).id}`);
    await page.getByTestId('download-key').click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Your account password').fill(ADMIN_PASSWORD);
    await dialog.getByRole('button', { name: 'Download server.key' }).click();
    await expect(dialog.getByTestId('error-alert')).toContainText('REAUTH_TOTP_REQUIRED');
    await dialog.getByRole('textbox', { name: 'Two-factor code' }).fill(recovery[1] as string);
    await shot(page, 'totp-reauth-code');
    await expectNoSeriousA11yViolations(page, 'key download asking for the code');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Download server.key' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('server.key');

    // The administrator's switch: "require two-factor for everyone" (this account has it, so it may).
    await page.goto('/settings');
    const require = page.getByRole('switch', { name: 'Require two-factor sign-in for everyone' });
    await require.scrollIntoViewIfNeeded();
    await expect(require).not.toBeChecked();
    // Controlled by the server's answer: click, then wait for the state to come back.
    await require.click();
    await expect(require).toBeChecked();
    await shot(page, 'totp-require-setting');
    await expectNoSeriousA11yViolations(page, 'server settings with the two-factor switch');
    await page.reload();
    await expect(page.getByRole('switch', { name: 'Require two-factor sign-in for everyone' })).toBeChecked();
    await page.getByRole('switch', { name: 'Require two-factor sign-in for everyone' }).click();
    await expect(
      page.getByRole('switch', { name: 'Require two-factor sign-in for everyone' }),
    ).not.toBeChecked();
  } finally {
    await context.close();
  }
});

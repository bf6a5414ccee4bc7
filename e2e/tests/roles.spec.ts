import { type Browser, expect, type Page, test } from '@playwright/test';
import { type Issued, TestPki } from '../../server/test/support/pki.js';
import { expectNoSeriousA11yViolations } from '../support/a11y.js';
import { apiAs } from '../support/api.js';
import { BASE_URL } from '../support/env.js';
import { shot } from '../support/shot.js';

/**
 * Roles in the console: the administrator manages users on the Users page; an operator never sees private-
 * key export; an auditor sees the inventory read-only; a reset password must be changed at sign-in.
 */

test.describe.configure({ mode: 'serial' });

const pki = new TestPki();
const stamp = Date.now();
const cn = `roles${stamp}.example.test`;
const operator = `operator${stamp}`;
const auditor = `auditor${stamp}`;
const PASSWORD = 'e2e role passphrase long enough';
let root: Issued;
let ica: Issued;
let certId = 0;

test.beforeAll(() => {
  root = pki.root(`Roles Root ${stamp}`, { key: 'rsa2048' });
  ica = pki.intermediate(`Roles Issuing CA ${stamp}`, root);
});
test.afterAll(() => pki.cleanup());

function form(files: Record<string, string | Buffer>): FormData {
  const f = new FormData();
  for (const [name, data] of Object.entries(files))
    f.append('file', new Blob([new Uint8Array(Buffer.from(data))]), name);
  return f;
}

/** A certificate with its key in the inventory, through the API as the administrator. */
async function seed(page: Page): Promise<void> {
  const api = await apiAs(page);
  const headers = { 'x-csrf-token': api.csrfToken };
  const anchor = new FormData();
  anchor.append('file', new Blob([new Uint8Array(root.certDer)]), 'root.cer');
  const a = await api.request.post('/api/trust-anchors', { headers, multipart: anchor });
  expect([201, 409], await a.text()).toContain(a.status());
  const leaf = pki.leaf(cn, ica, { key: 'ec256' });
  const res = await api.request.post('/api/certificates', {
    headers,
    multipart: form({ 'server.crt': leaf.certPem, 'server.key': leaf.keyPem, 'issuing.pem': ica.certPem }),
  });
  expect(res.status(), await res.text()).toBe(201);
  certId = ((await res.json()) as { id: number }).id;
}

/** A fresh signed-out browser signed in as `username` (the shared admin session stays untouched). */
async function signedInAs(browser: Browser, username: string, password = PASSWORD): Promise<Page> {
  const context = await browser.newContext({ baseURL: BASE_URL, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto('/login');
  await page.getByRole('textbox', { name: 'User name', exact: true }).fill(username);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return page;
}

async function addUser(page: Page, username: string, role: 'Operator' | 'Auditor') {
  await page.getByRole('button', { name: 'Add user' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add user' });
  await dialog.getByRole('textbox', { name: 'User name' }).fill(username);
  await dialog.getByRole('textbox', { name: /^Password/ }).fill(PASSWORD);
  await dialog.getByText(role, { exact: true }).click();
  await dialog.getByRole('button', { name: 'Add user' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId(`user-row-${username}`)).toBeVisible();
}

test('the administrator adds an operator and an auditor on the Users page', async ({ page }) => {
  await page.goto('/certificates');
  await seed(page);
  await page.goto('/');
  await page.getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
  await addUser(page, operator, 'Operator');
  await addUser(page, auditor, 'Auditor');
  await expect(page.getByRole('textbox', { name: `Role of ${auditor}` })).toHaveValue('Auditor');
  await shot(page, 'users-page');
  // The "can now sign in" notifications close by themselves; axe looks at the page itself.
  await expect(page.locator('.mantine-Notification-root')).toHaveCount(0, { timeout: 15_000 });
  await expectNoSeriousA11yViolations(page, 'users page');
});

test('an operator cannot see private-key export on a certificate page', async ({ browser }) => {
  const page = await signedInAs(browser, operator);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Users' })).toHaveCount(0);
  await page.goto(`/certificates/${certId}`);
  await expect(page.getByRole('heading', { name: cn })).toBeVisible();
  await expect(page.getByTestId('delete')).toBeVisible();
  await page.getByTestId('export').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('radio', { name: /Full chain PEM/ })).toBeVisible();
  await expect(dialog.getByRole('radio', { name: /PFX/ })).toHaveCount(0);
  await expect(dialog.getByRole('radio', { name: /Private key/ })).toHaveCount(0);
  await shot(page, 'roles-operator-export');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await page.goto('/tools');
  await expect(page.getByRole('tab', { name: 'Convert' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Decrypt private key' })).toHaveCount(0);
  await page.context().close();
});

test('an operator sets up deployment targets without the private key: key files are for administrators', async ({
  browser,
}) => {
  const page = await signedInAs(browser, operator);
  // Signed in (the shell is up) before going on: a navigation right after the click can beat the cookie.
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await page.goto('/deployments/new');
  await expect(page.getByRole('heading', { level: 1, name: 'New target' })).toBeVisible();
  await expect(page.getByTestId('key-files-admin-only')).toContainText(
    'your role cannot export private keys',
  );
  const rows = page.getByTestId('file-row');
  await expect(rows).toHaveCount(1);
  await rows.first().getByRole('textbox', { name: 'Holds' }).click();
  await expect(page.getByRole('option', { name: 'Private key', exact: true })).toHaveAttribute(
    'data-combobox-disabled',
    'true',
  );
  await expect(page.getByRole('option', { name: /^Full chain \(/ })).not.toHaveAttribute(
    'data-combobox-disabled',
    'true',
  );
  await page.keyboard.press('Escape');
  await shot(page, 'roles-operator-target-files');
  await expectNoSeriousA11yViolations(page, '/deployments/new (operator)');
  await page.context().close();
});

test('an auditor sees the inventory read-only', async ({ browser }) => {
  const page = await signedInAs(browser, auditor);
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Import' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Generate CSR' })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Audit log' })).toBeVisible();
  await page.goto('/certificates');
  await expect(page.getByRole('link', { name: cn }).first()).toBeVisible();
  await expect(page.getByRole('link', { name: 'Import' })).toHaveCount(0);
  await shot(page, 'roles-auditor-inventory');
  await page.goto(`/certificates/${certId}`);
  await expect(page.getByRole('heading', { name: cn })).toBeVisible();
  await expect(page.getByTestId('export')).toBeVisible();
  for (const id of ['delete', 'renew', 'attach-key', 'promote', 'restore']) {
    await expect(page.getByTestId(id)).toHaveCount(0);
  }
  await shot(page, 'roles-auditor-certificate');
  await page.goto('/csrs');
  await expect(page.getByRole('link', { name: 'Generate CSR' })).toHaveCount(0);
  await page.context().close();
});

test('a reset password is shown once and must be changed at the next sign-in', async ({ page, browser }) => {
  await page.goto('/users');
  await page.getByRole('button', { name: `Actions for ${auditor}` }).click();
  await page.getByRole('menuitem', { name: 'Reset password' }).click();
  const modal = page.getByRole('dialog', { name: `One-time password for ${auditor}` });
  await expect(modal).toBeVisible();
  const oneTime = (await modal.getByTestId('one-time-password').locator('pre').textContent())?.trim() ?? '';
  expect(oneTime.length).toBeGreaterThanOrEqual(12);
  await shot(page, 'users-one-time-password');
  await modal.getByRole('button', { name: 'I have copied it' }).click();
  await expect(page.getByTestId(`user-row-${auditor}`)).toContainText('Must change password');

  const other = await signedInAs(browser, auditor, oneTime);
  await expect(other.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await shot(other, 'password-change-required');
  await expectNoSeriousA11yViolations(other, 'password change required');
  await other.getByRole('textbox', { name: /^One-time password/ }).fill(oneTime);
  await other.getByRole('textbox', { name: /^New password\s*\*?$/ }).fill('the auditor chose this one');
  await other.getByRole('textbox', { name: /^New password again/ }).fill('the auditor chose this one');
  await other.getByRole('button', { name: 'Save and continue' }).click();
  await expect(other.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await other.context().close();
});

import fs from 'node:fs';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { type Issued, TestPki } from '../../server/test/support/pki.js';
import { expectNoSeriousA11yViolations } from '../support/a11y.js';
import { apiAs } from '../support/api.js';
import { signIn } from '../support/auth.js';
import { DEPLOY_ROOT } from '../support/env.js';
import { startExtraServer } from '../support/extra-server.js';
import { shot } from '../support/shot.js';

/**
 * Deployments (issue 12): a local target created in the UI and deployed; a target whose reload hook fails
 * is rolled back and says why; the certificate page deploys its own targets; the dashboard counts failures.
 * The server runs with CERTDESK_DEPLOY_ROOTS = DEPLOY_ROOT and two hooks (support/env.ts).
 */

test.describe.configure({ mode: 'serial' });

const pki = new TestPki();
const stamp = Date.now();
const cn = `deploy${stamp}.example.test`;
let root: Issued;
let leaf: Issued;
let certificateId = 0;

test.beforeAll(() => {
  root = pki.root(`Deploy Root ${stamp}`, { key: 'ec256' });
  leaf = pki.leaf(cn, root, { key: 'ec256' });
});
test.afterAll(() => pki.cleanup());

async function seed(page: Page): Promise<void> {
  if (certificateId) return;
  const api = await apiAs(page);
  const anchor = new FormData();
  anchor.append('file', new Blob([new Uint8Array(root.certDer)]), 'root.cer');
  const a = await api.request.post('/api/trust-anchors', {
    headers: { 'x-csrf-token': api.csrfToken },
    multipart: anchor,
  });
  expect([201, 409], await a.text()).toContain(a.status());
  const files = new FormData();
  files.append('file', new Blob([leaf.certPem]), 'server.crt');
  files.append('file', new Blob([leaf.keyPem]), 'server.key');
  const imported = await api.request.post('/api/certificates', {
    headers: { 'x-csrf-token': api.csrfToken },
    multipart: files,
  });
  expect(imported.status(), await imported.text()).toBe(201);
  certificateId = ((await imported.json()) as { id: number }).id;
}

async function chooseCertificate(page: Page) {
  await page.getByTestId('certificate-select').click();
  await page.getByRole('option', { name: new RegExp(`^#${certificateId} `) }).click();
}

async function chooseHook(page: Page, name: string) {
  await page.getByTestId('hook-select').click();
  await page.getByRole('option', { name, exact: true }).click();
}

async function bothWidths(page: Page, name: string) {
  // The header is fixed: a full-page picture taken while scrolled would draw it mid-page.
  await page.evaluate('window.scrollTo(0, 0)');
  await page.setViewportSize({ width: 1366, height: 900 });
  await shot(page, `${name}-1366`);
  await page.setViewportSize({ width: 1024, height: 768 });
  await shot(page, `${name}-1024`);
  await page.setViewportSize({ width: 1366, height: 900 });
}

test('a local target created in the UI deploys its files, and the list shows it', async ({ page }) => {
  test.setTimeout(180_000);
  await seed(page);
  await page.goto('/deployments');
  await expect(page.getByRole('heading', { level: 1, name: 'Deployments' })).toBeVisible();
  await expect(page).toHaveTitle(/^Deployments · certdesk$/);
  await expect(page.getByTestId('server-policy')).toContainText(DEPLOY_ROOT);
  await expect(page.getByTestId('server-policy')).toContainText('reload-ok');
  await page.getByRole('link', { name: 'New target' }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'New target' })).toBeVisible();

  // The SSH fields, for the picture and the axe scan, then back to a local target.
  await page.getByRole('radio', { name: 'Another server over SSH (SFTP)' }).check();
  await expect(page.getByTestId('ssh-fields')).toContainText('ssh-keygen -lf');
  await bothWidths(page, 'deploy-form-ssh');
  await expectNoSeriousA11yViolations(page, '/deployments/new (ssh)');
  await page.getByRole('radio', { name: 'This server (local files)' }).check();

  const name = `nginx ${stamp}`;
  await page.getByRole('textbox', { name: 'Target name' }).fill(name);
  await chooseCertificate(page);
  const rows = page.getByTestId('file-row');
  await expect(rows).toHaveCount(2);
  const chain = path.join(DEPLOY_ROOT, `fullchain-${stamp}.pem`);
  const key = path.join(DEPLOY_ROOT, `privkey-${stamp}.pem`);
  await rows.nth(0).getByRole('textbox', { name: 'Path' }).fill(chain);
  await rows.nth(1).getByRole('textbox', { name: 'Path' }).fill(key);
  await chooseHook(page, 'reload-ok');
  await expect(page.getByTestId('hook-command')).toContainText('/bin/true');
  await bothWidths(page, 'deploy-form-local');
  await expectNoSeriousA11yViolations(page, '/deployments/new (local)');

  // A path outside the roots: the server's sentence under that path, nothing created.
  await rows.nth(1).getByRole('textbox', { name: 'Path' }).fill('/etc/certdesk-e2e.key');
  await rows.nth(1).getByRole('textbox', { name: 'Path' }).press('Enter');
  const pathError = rows.nth(1).getByRole('alert');
  await expect(pathError).toContainText('/etc/certdesk-e2e.key');
  await expect(rows.nth(1).getByRole('textbox', { name: 'Path' })).toBeFocused();
  await shot(page, 'deploy-form-path-error');

  // Enter submits.
  await rows.nth(1).getByRole('textbox', { name: 'Path' }).fill(key);
  await page.getByRole('textbox', { name: 'Target name' }).press('Enter');
  await expect(page).toHaveURL(/\/deployments$/);
  const row = page.locator('tr', { hasText: name });
  await expect(row.getByTestId('deploy-status')).toHaveText('Never deployed');
  await expect(row.getByRole('link', { name: cn })).toHaveAttribute('href', `/certificates/${certificateId}`);

  await row.getByRole('button', { name: `Deploy ${name} now` }).click();
  const dialog = page.getByTestId('deploy-dialog');
  await expect(dialog.getByTestId('deploy-success')).toBeVisible({ timeout: 30_000 });
  await expect(dialog.getByTestId('deploy-steps')).toContainText('Running the reload hook');
  await shot(page, 'deploy-success');
  expect(fs.readFileSync(chain, 'utf8')).toContain(leaf.certPem.trim());
  expect(fs.readFileSync(key, 'utf8')).toContain('PRIVATE KEY');
  await expect(fs.statSync(key).mode & 0o777).toBe(0o600);
  await page.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(row.getByTestId('deploy-status')).toHaveText('Deployed');
  await bothWidths(page, 'deploy-list');
  await expectNoSeriousA11yViolations(page, '/deployments');

  // Edit: the form comes back filled in; a rename is saved (PATCH) and listed.
  await row.getByRole('link', { name: `Edit ${name}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Edit target: ${name}` })).toBeVisible();
  await expect(page.getByTestId('file-row').nth(0).getByRole('textbox', { name: 'Path' })).toHaveValue(chain);
  await expect(page.getByTestId('hook-select')).toHaveValue('reload-ok');
  await page.getByRole('textbox', { name: 'Target name' }).fill(`${name} renamed`);
  await page.getByRole('button', { name: 'Save target' }).click();
  await expect(page).toHaveURL(/\/deployments$/);
  await expect(page.locator('tr', { hasText: `${name} renamed` })).toBeVisible();
});

test('a failing reload hook is rolled back: the step, the hook output and the previous files', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await seed(page);
  const api = await apiAs(page);
  const file = path.join(DEPLOY_ROOT, `broken-${stamp}.pem`);
  fs.writeFileSync(file, 'previous content\n');
  const name = `broken reload ${stamp}`;
  const created = await api.post('/api/targets', {
    name,
    certificateId,
    kind: 'local',
    files: [{ path: file, content: 'fullchain+key' }],
    hook: 'reload-fails',
  });
  expect(created.status(), await created.text()).toBe(201);

  await page.goto('/deployments');
  const row = page.locator('tr', { hasText: name });
  await row.getByRole('button', { name: `Deploy ${name} now` }).click();
  const dialog = page.getByTestId('deploy-dialog');
  const rolledBack = dialog.getByTestId('deploy-rolled-back');
  await expect(rolledBack).toBeVisible({ timeout: 30_000 });
  await expect(rolledBack).toContainText('the previous files are back in place');
  await expect(rolledBack).toContainText('Running the reload hook');
  await expect(dialog.getByTestId('hook-output')).toContainText('cannot load certificate key');
  expect(fs.readFileSync(file, 'utf8')).toBe('previous content\n');
  await bothWidths(page, 'deploy-rolled-back');
  await expectNoSeriousA11yViolations(page, '/deployments (rolled back)');
  await page.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(row.getByTestId('deploy-status')).toHaveText('Rolled back');

  // Later: the same report from the list.
  await row.getByRole('button', { name: `Details of the last deployment of ${name}` }).click();
  await expect(page.getByTestId('deploy-rolled-back')).toContainText('cannot load certificate key');
  await page.keyboard.press('Escape');

  // The dashboard says so and links here.
  await page.goto('/');
  const alert = page.getByTestId('deployment-health');
  await expect(alert).toContainText(/\d+ deployments? failed/);
  await shot(page, 'deploy-dashboard');
  await alert.getByRole('link', { name: 'Open Deployments' }).click();
  await expect(page).toHaveURL(/\/deployments$/);

  // The certificate page lists its targets and deploys one.
  await page.goto(`/certificates/${certificateId}`);
  const section = page.getByTestId('certificate-deployments');
  await expect(section.locator('tr', { hasText: name })).toBeVisible();
  const good = section.locator('tr', { hasText: `nginx ${stamp} renamed` });
  await good.getByRole('button', { name: `Deploy to nginx ${stamp} renamed` }).click();
  await expect(section.getByTestId('deploy-success')).toBeVisible({ timeout: 30_000 });
  await shot(page, 'deploy-certificate-page');
  await expectNoSeriousA11yViolations(page, `/certificates/${certificateId} (deployments)`);

  // Delete asks first.
  await page.goto('/deployments');
  await page
    .locator('tr', { hasText: name })
    .getByRole('button', { name: `Delete ${name}` })
    .click();
  await page.getByRole('button', { name: 'Delete target' }).click();
  await expect(page.locator('tr', { hasText: name })).toHaveCount(0);
});

test('a server without deploy roots: the empty list explains targets and how to enable local ones', async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const extra = await startExtraServer();
  const context = await browser.newContext({
    baseURL: extra.baseURL,
    viewport: { width: 1366, height: 900 },
  });
  try {
    const page = await context.newPage();
    await signIn(page);
    await page.goto('/deployments');
    await expect(page.getByTestId('empty-state')).toContainText('No deployment targets yet');
    const notice = page.getByTestId('deploy-disabled');
    await expect(notice).toContainText('CERTDESK_DEPLOY_ROOTS');
    await expect(notice).toContainText('CERTDESK_DEPLOY_HOOKS');
    await bothWidths(page, 'deploy-empty-disabled');
    await expectNoSeriousA11yViolations(page, '/deployments (empty, disabled)');
    await page.getByTestId('empty-state').getByRole('link', { name: 'New target' }).click();
    await expect(page.getByRole('radio', { name: 'This server (local files)' })).toBeDisabled();
    await expect(page.getByRole('radio', { name: 'Another server over SSH (SFTP)' })).toBeChecked();
  } finally {
    await context.close();
    await extra.stop();
  }
});

import { expect, type Page, test } from '@playwright/test';
import { type Issued, TestPki } from '../../server/test/support/pki.js';
import { expectNoSeriousA11yViolations } from '../support/a11y.js';
import { apiAs } from '../support/api.js';
import { shot } from '../support/shot.js';

/**
 * Accessibility (issue 14, item 11): every page has its own tab title and one h1, a skip link leads past
 * the navigation, and axe finds no serious or critical violation on any page.
 */

test.describe.configure({ mode: 'serial' });

const pki = new TestPki();
const stamp = Date.now();
let root: Issued;
let certificateId = 0;
let csrId = 0;

test.beforeAll(() => {
  root = pki.root(`A11y Root ${stamp}`, { key: 'rsa2048' });
});
test.afterAll(() => pki.cleanup());

async function seed(page: Page): Promise<void> {
  if (certificateId) return;
  const api = await apiAs(page);
  const headers = { 'x-csrf-token': api.csrfToken };
  const anchor = new FormData();
  anchor.append('file', new Blob([new Uint8Array(root.certDer)]), 'root.cer');
  const a = await api.request.post('/api/trust-anchors', { headers, multipart: anchor });
  expect([201, 409], await a.text()).toContain(a.status());
  const leaf = pki.leaf(`a11y${stamp}.example.test`, root, { key: 'ec256' });
  const files = new FormData();
  files.append('file', new Blob([leaf.certPem]), 'server.crt');
  files.append('file', new Blob([leaf.keyPem]), 'server.key');
  const imported = await api.request.post('/api/certificates', { headers, multipart: files });
  expect(imported.status(), await imported.text()).toBe(201);
  certificateId = ((await imported.json()) as { id: number }).id;
  const csr = await api.post('/api/csrs', { commonName: `csr-a11y${stamp}.example.test`, keyType: 'ec' });
  expect(csr.status(), await csr.text()).toBe(201);
  csrId = ((await csr.json()) as { id: number }).id;
}

const PAGES: { path: () => string; title: RegExp; slug: string }[] = [
  { path: () => '/', title: /^Dashboard · certdesk$/, slug: 'dashboard' },
  { path: () => '/certificates', title: /^Certificates · certdesk$/, slug: 'certificates' },
  {
    path: () => `/certificates/${certificateId}`,
    title: /^a11y\d+\.example\.test · certdesk$/,
    slug: 'certificate',
  },
  { path: () => '/csrs/new', title: /^Generate CSR · certdesk$/, slug: 'csr-new' },
  { path: () => '/csrs', title: /^Certificate signing requests · certdesk$/, slug: 'csrs' },
  { path: () => `/csrs/${csrId}`, title: /^CSR #\d+: csr-a11y\d+\.example\.test · certdesk$/, slug: 'csr' },
  { path: () => '/import', title: /^Import certificate · certdesk$/, slug: 'import' },
  { path: () => '/acme', title: /^ACME · certdesk$/, slug: 'acme' },
  { path: () => '/acme/order', title: /^Order with ACME · certdesk$/, slug: 'acme-order' },
  { path: () => '/trust-anchors', title: /^Trust anchors · certdesk$/, slug: 'trust-anchors' },
  { path: () => '/settings', title: /^Server Settings · certdesk$/, slug: 'settings' },
  { path: () => '/notifications', title: /^Notifications · certdesk$/, slug: 'notifications' },
  { path: () => '/deployments', title: /^Deployments · certdesk$/, slug: 'deployments' },
  { path: () => '/deployments/new', title: /^New target · certdesk$/, slug: 'deployment-new' },
  { path: () => '/tools', title: /^Tools · certdesk$/, slug: 'tools' },
  { path: () => '/tokens', title: /^API tokens · certdesk$/, slug: 'tokens' },
  { path: () => '/audit', title: /^Audit log · certdesk$/, slug: 'audit' },
  { path: () => '/no-such-page', title: /^Page not found · certdesk$/, slug: 'not-found' },
];

test('every console page: its own title, one h1, no serious axe violation', async ({ page }) => {
  // axe takes seconds per page on a busy machine.
  test.setTimeout(600_000);
  await seed(page);
  for (const p of PAGES) {
    await page.goto(p.path());
    await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
    await expect(page, `tab title of ${p.path()}`).toHaveTitle(p.title);
    await expect(page.getByRole('status').filter({ hasText: /Loading/ })).toHaveCount(0);
    await expectNoSeriousA11yViolations(page, p.path());
  }
});

test('a skip link is the first tab stop and moves focus to the page content', async ({ page }) => {
  await page.goto('/certificates');
  await expect(page.getByRole('heading', { level: 1, name: 'Certificates' })).toBeVisible();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await shot(page, 'a11y-skip-link');
  await page.keyboard.press('Enter');
  await expect(page.locator('#main-content')).toBeFocused();
  // The next tab stop is inside the page, not in the navigation.
  await page.keyboard.press('Tab');
  await expect(page.locator('main :focus')).toHaveCount(1);
});

test('the CSR wizard: focus moves to each step heading; a wrong field takes the focus and its message is announced', async ({
  page,
}) => {
  await page.goto('/csrs/new');
  await expect(page.getByRole('heading', { level: 1, name: 'Generate CSR' })).toBeVisible();
  // A valid name but a country no list knows: Next stays on the step, the country field takes the focus
  // and its message is an alert (read out by screen readers).
  const cn = page.getByRole('textbox', { name: 'Common name (CN)' });
  await cn.fill(`focus${stamp}.example.test`);
  const country = page.getByRole('textbox', { name: 'Country (C)' });
  await country.fill('Atlantis');
  await country.blur();
  await cn.focus();
  await page.getByTestId('wizard-next').click();
  await expect(country).toBeFocused();
  await expect(country).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('alert').filter({ hasText: 'No country matches “Atlantis”' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Step 1 of 4: Subject' })).toBeAttached();
  await shot(page, 'a11y-wizard-error-announced');

  await country.fill('');
  await country.blur();
  await page.getByTestId('wizard-next').click();
  const heading = page.getByRole('heading', { name: 'Step 2 of 4: Key' });
  await expect(heading).toBeFocused();
  await shot(page, 'a11y-wizard-step-focus');
  await page.getByTestId('wizard-next').click();
  await expect(page.getByRole('heading', { name: 'Step 3 of 4: Review' })).toBeFocused();
  await page.getByRole('button', { name: 'Back' }).click();
  await expect(page.getByRole('heading', { name: 'Step 2 of 4: Key' })).toBeFocused();
});

test('unlabelled controls have names: drop zone, pasted PEM, token name, pagination', async ({ page }) => {
  await seed(page);
  await page.goto('/import');
  // The drop zone is a named group (not a focusable role="presentation") with a real button in it.
  const zone = page.getByRole('group', { name: 'Drop files here or click to choose' });
  const chooser = page.waitForEvent('filechooser');
  await zone.getByRole('button', { name: 'Choose files…' }).focus();
  await page.keyboard.press('Enter');
  await chooser;
  await expect(page.getByRole('textbox', { name: 'Or paste PEM text' })).toBeVisible();
  await page.goto('/tokens');
  await expect(page.getByLabel('Token name')).toBeVisible();
  await page.goto('/certificates');
  await expect(page.getByRole('button', { name: 'Next page' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Previous page' })).toBeVisible();
});

test.describe('signed out', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('the sign-in page: title, one h1, no serious axe violation', async ({ page }) => {
    await page.goto('/login');
    await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
    await expect(page).toHaveTitle(/^Sign in · certdesk$/);
    await expectNoSeriousA11yViolations(page, '/login');
  });
});

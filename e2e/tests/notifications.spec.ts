import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, type Page, test } from '@playwright/test';
import { SMTPServer } from 'smtp-server';
import { type Issued, TestPki } from '../../server/test/support/pki.js';
import { expectNoSeriousA11yViolations } from '../support/a11y.js';
import { apiAs } from '../support/api.js';
import { shot } from '../support/shot.js';

/**
 * Notifications: the settings page with real receivers on loopback (an SMTP server and a webhook), the
 * "Send test" outcome per channel, failures in the deliveries table, and the dashboard's reminders with Renew.
 */

test.describe.configure({ mode: 'serial' });
// Two real receivers, a full form and two axe scans: more than the default minute on a busy machine.
test.setTimeout(180_000);

const pki = new TestPki();
const stamp = Date.now();
const SMTP_PASSWORD = `e2e-smtp-${stamp}`;
let root: Issued;
let issuing: Issued;
const webhookBodies: string[] = [];
const mails: string[] = [];
let webhook: http.Server;
let smtp: SMTPServer;
let webhookPort = 0;
let smtpPort = 0;

test.beforeAll(async () => {
  root = pki.root(`Notify Root ${stamp}`, { key: 'rsa2048' });
  issuing = pki.intermediate(`Notify Issuing ${stamp}`, root, { key: 'rsa2048' });
  webhook = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      webhookBodies.push(body);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => webhook.listen(0, '127.0.0.1', r));
  webhookPort = (webhook.address() as AddressInfo).port;
  smtp = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth: (auth, _s, cb) =>
      auth.password === SMTP_PASSWORD ? cb(null, { user: auth.username }) : cb(new Error('bad login')),
    onData(stream, _s, cb) {
      let raw = '';
      stream.on('data', (c: Buffer) => {
        raw += c.toString();
      });
      stream.on('end', () => {
        mails.push(raw);
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  smtpPort = (smtp.server.address() as AddressInfo).port;
});
test.afterAll(async () => {
  webhook.closeAllConnections();
  await new Promise<void>((r) => webhook.close(() => r()));
  await new Promise<void>((r) => smtp.close(() => r()));
  pki.cleanup();
});

async function importLeaf(page: Page, leaf: Issued): Promise<number> {
  const api = await apiAs(page);
  const anchor = new FormData();
  anchor.append('file', new Blob([new Uint8Array(root.certDer)]), 'root.cer');
  const trusted = await api.request.post('/api/trust-anchors', {
    headers: { 'x-csrf-token': api.csrfToken },
    multipart: anchor,
  });
  expect([201, 409]).toContain(trusted.status());
  const files = new FormData();
  files.append('file', new Blob([leaf.certPem]), 'server.crt');
  files.append('file', new Blob([leaf.keyPem]), 'server.key');
  files.append('file', new Blob([issuing.certPem]), 'issuing.crt');
  const res = await api.request.post('/api/certificates', {
    headers: { 'x-csrf-token': api.csrfToken },
    multipart: files,
  });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

test('configure e-mail and webhooks, send a test: each channel reports, a dead one is a visible failure', async ({
  page,
}) => {
  await page.goto('/notifications');
  await expect(page.getByRole('heading', { level: 1, name: 'Notifications' })).toBeVisible();
  await page.getByRole('switch', { name: 'Send e-mail' }).check({ force: true });
  await page.getByLabel('SMTP server').fill('127.0.0.1');
  await page.getByLabel('Port').fill(String(smtpPort));
  await page.getByRole('textbox', { name: 'Security' }).click();
  await page.getByRole('option', { name: /None/ }).click();
  await page.getByLabel('User name').fill('certdesk');
  await page.getByLabel('Password', { exact: true }).fill(SMTP_PASSWORD);
  await page.getByRole('textbox', { name: 'From', exact: true }).fill('certdesk@example.test');
  const to = page.getByRole('textbox', { name: 'To', exact: true });
  await to.fill('admin@example.test');
  await to.press('Enter');
  await page.getByRole('button', { name: 'Add webhook' }).click();
  await page.getByLabel('Webhook 1 address').fill(`http://127.0.0.1:${webhookPort}/slack/T0/B0/hook-secret`);
  await page.getByRole('textbox', { name: 'Format' }).first().click();
  await page.getByRole('option', { name: 'Slack' }).click();
  await page.getByRole('button', { name: 'Add webhook' }).click();
  await page.getByLabel('Webhook 2 address').fill('http://127.0.0.1:1/dead');
  await page.getByRole('button', { name: 'Save notification settings' }).click();
  await expect(page.getByText('Notification settings saved.')).toBeVisible();

  // The password is never sent back: the field is empty and says one is stored.
  await page.reload();
  await expect(page.getByText('A password is stored (sealed). Leave empty to keep it.')).toBeVisible();
  await expect(page.locator('input[type="password"]')).toHaveValue('');

  await page.getByRole('button', { name: 'Send test' }).click();
  const results = page.getByTestId('test-results');
  await expect(results).toContainText('email — sent');
  await expect(results).toContainText(`webhook http://127.0.0.1:${webhookPort} — sent`);
  await expect(results).toContainText('webhook http://127.0.0.1:1 — failed');
  await expect(page.getByTestId('deliveries').locator('[data-status="failed"]')).toContainText('refused');
  expect(mails.length).toBe(1);
  expect(mails[0]).toContain('certdesk test notification');
  expect(JSON.parse(webhookBodies[0] ?? '{}').text).toBe('certdesk test notification');
  for (const body of [...mails, ...webhookBodies]) expect(body).not.toContain(SMTP_PASSWORD);
  await expect(page.getByTestId('reminder-preview')).toContainText('47 days');
  await shot(page, 'notifications-settings');
  await expectNoSeriousA11yViolations(page, 'the Notifications page');
});

test('a certificate imported inside a reminder threshold is on the dashboard with Renew, and notified', async ({
  page,
}) => {
  const leaf = pki.leaf(`late-${stamp}.example.test`, issuing, { startDays: -44, endDays: 3 });
  const id = await importLeaf(page, leaf);
  await page.goto('/');
  const row = page.getByTestId('reminders').locator(`[data-certificate-id="${id}"]`);
  // The dashboard loads three queries; a busy machine can take longer than the default wait.
  await expect(row).toContainText(`late-${stamp}.example.test`, { timeout: 30_000 });
  await expect(row).toContainText('10% of the lifetime or 14 days left');
  await expect(row).toContainText('Yes');
  await expect.poll(() => webhookBodies.some((b) => b.includes(`late-${stamp}.example.test`))).toBe(true);
  await expect.poll(() => mails.some((m) => m.includes(`late-${stamp}.example.test`))).toBe(true);
  await shot(page, 'dashboard-reminders');
  await expectNoSeriousA11yViolations(page, 'the dashboard with reminders');
  await row.getByRole('button', { name: /Renew/ }).click();
  await expect(page).toHaveURL(new RegExp(`/csrs/new\\?.*renews=${id}`));
});

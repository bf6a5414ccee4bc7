import fs from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { type Issued, TestPki } from '../../server/test/support/pki.js';
import { apiAs } from '../support/api.js';
import { shot } from '../support/shot.js';

/**
 * The audit log (issue 14, item 12): list, filter by user, action and date, page, export CSV. The log is
 * filled through an audited action that needs no re-authentication (renaming a certificate), so 30
 * entries take no password prompts and meet no throttle.
 */

test.describe.configure({ mode: 'serial' });

const pki = new TestPki();
const stamp = Date.now();
const RENAMES = 30;
let root: Issued;
let renameTotal = 0;

test.beforeAll(() => {
  root = pki.root(`Audit Root ${stamp}`, { key: 'ec256' });
});
test.afterAll(() => pki.cleanup());

async function fill(page: Page): Promise<void> {
  const api = await apiAs(page);
  const headers = { 'x-csrf-token': api.csrfToken };
  const anchor = new FormData();
  anchor.append('file', new Blob([root.certPem]), 'root.pem');
  const a = await api.request.post('/api/trust-anchors', { headers, multipart: anchor });
  expect([201, 409], await a.text()).toContain(a.status());
  const leaf = pki.leaf(`audit${stamp}.example.test`, root, { key: 'ec256' });
  const files = new FormData();
  files.append('file', new Blob([leaf.certPem]), 'server.crt');
  files.append('file', new Blob([leaf.keyPem]), 'server.key');
  const imported = await api.request.post('/api/certificates', { headers, multipart: files });
  expect(imported.status(), await imported.text()).toBe(201);
  const { id } = (await imported.json()) as { id: number };
  for (let i = 0; i < RENAMES; i++) {
    const name = `Audit fill ${i}`;
    const res = await api.request.patch(`/api/certificates/${id}`, { headers, data: { name } });
    expect(res.status(), await res.text()).toBe(200);
  }
  const list = await api.request.get('/api/audit?action=certificate.rename&limit=1');
  renameTotal = ((await list.json()) as { total: number }).total;
  expect(renameTotal).toBeGreaterThanOrEqual(RENAMES);
}

const range = (page: Page) => page.getByTestId('audit-range');
const actionCells = (page: Page) =>
  page.getByTestId('audit-table').getByRole('row').locator('td:nth-child(3)');

async function filter(page: Page, fields: { action?: string; actor?: string; from?: string; to?: string }) {
  await page.getByRole('textbox', { name: 'Action' }).fill(fields.action ?? '');
  await page.getByRole('textbox', { name: 'User' }).fill(fields.actor ?? '');
  await page.getByTestId('audit-from').fill(fields.from ?? '');
  await page.getByTestId('audit-to').fill(fields.to ?? '');
  await page.getByRole('button', { name: 'Filter', exact: true }).click();
}

test('the audit log lists, filters by action and pages', async ({ page }) => {
  await page.goto('/audit');
  await fill(page);
  await page.reload();
  const table = page.getByTestId('audit-table');
  await expect(table.locator('thead th')).toHaveText([
    'When',
    'Actor',
    'Action',
    'Target',
    'IP address',
    'Details',
  ]);
  await expect(table).toContainText('auth.login'); // the setup project's sign-in
  await shot(page, 'audit');

  // Prefix filter: only certificate.* rows, the total from the server.
  await filter(page, { action: 'certificate.' });
  await expect(page).toHaveURL(/action=certificate\./);
  await expect
    .poll(async () => (await actionCells(page).allInnerTexts()).every((t) => t.startsWith('certificate.')))
    .toBe(true);

  // Exact filter, then paging: 25 per page, page 2 continues where page 1 stopped.
  await filter(page, { action: 'certificate.rename' });
  await expect
    .poll(async () => (await actionCells(page).allInnerTexts()).every((t) => t === 'certificate.rename'))
    .toBe(true);
  await expect(range(page)).toHaveText(`Showing 1–${Math.min(50, renameTotal)} of ${renameTotal} entries`);
  await page.getByRole('textbox', { name: 'Entries per page' }).click();
  await page.getByRole('option', { name: '25 per page' }).click();
  await expect(range(page)).toHaveText(`Showing 1–25 of ${renameTotal} entries`);
  await expect(table.getByRole('row')).toHaveCount(26);
  await page.getByRole('button', { name: 'Page 2', exact: true }).click();
  await expect(range(page)).toHaveText(`Showing 26–${Math.min(50, renameTotal)} of ${renameTotal} entries`);
  await shot(page, 'audit-filtered-page-2');

  // A filter that matches nothing says so.
  await filter(page, { action: 'no.such.action' });
  await expect(page.getByTestId('empty-state')).toContainText('No entries for “no.such.action”');
  await page.getByRole('button', { name: 'Clear filter' }).click();
  await expect(table).toBeVisible();
});

test('filter by user and by date; the CSV export has the same filters', async ({ page }) => {
  await page.goto('/audit');
  const today = new Date().toISOString().slice(0, 10);
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

  await filter(page, { actor: 'admin', action: 'certificate.rename', from: today, to: today });
  await expect(page).toHaveURL(/actor=admin/);
  await expect(page).toHaveURL(new RegExp(`from=${today}&to=${today}`));
  await expect(range(page)).toContainText(`of ${renameTotal} entries`);
  const actors = page.getByTestId('audit-table').getByRole('row').locator('td:nth-child(2)');
  await expect.poll(async () => (await actors.allInnerTexts()).every((t) => t === 'admin')).toBe(true);
  await shot(page, 'audit-filter-user-date');

  // The export link carries the filters; the file it downloads holds every match, not just this page.
  const link = page.getByTestId('audit-export');
  await expect(link).toHaveText('Export these entries (CSV)');
  const download = page.waitForEvent('download');
  await link.click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^certdesk-audit-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = fs.readFileSync(await file.path(), 'utf8');
  const lines = csv.trimEnd().split('\r\n');
  expect(lines[0]).toBe('id,at,actor,action,target,ip,details');
  expect(lines).toHaveLength(1 + renameTotal);
  expect(lines.slice(1).every((l) => l.includes(',admin,certificate.rename,'))).toBe(true);
  // The details column is the entry's JSON, quoted as one cell.
  expect(csv).toContain(`""to"":""Audit fill ${RENAMES - 1}""`);

  // No entry from a user that never acted, and none tomorrow.
  await filter(page, { actor: 'nobody-here' });
  await expect(page.getByTestId('empty-state')).toContainText('No entries match these filters');
  await filter(page, { from: tomorrow });
  await expect(page.getByTestId('empty-state')).toBeVisible();
});

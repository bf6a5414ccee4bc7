import { expect, test } from '@playwright/test';
import { apiAs } from '../support/api.js';
import { ADMIN_PASSWORD } from '../support/env.js';
import { shot } from '../support/shot.js';

// fixme: fills the log with 15 token creations, each re-authenticated; since the sign-in throttle and token
// re-authentication were merged (issue 16) only 15 of the 30 entries appear. Fill the log another way.
test.fixme('the audit log lists, filters and pages', async ({ page }) => {
  // Arrange 30 token.create/token.delete entries (15 + 15) quickly through the API with this session.
  const api = await apiAs(page);
  for (let i = 0; i < 15; i++) {
    const created = await api.post('/api/tokens', { name: `audit fill ${i}`, password: ADMIN_PASSWORD });
    expect(created.status()).toBe(201);
    const { id } = (await created.json()) as { id: number };
    expect((await api.del(`/api/tokens/${id}`)).status()).toBe(204);
  }
  const { total: tokenTotal } = (await (
    await api.request.get('/api/audit?action=token.&limit=1')
  ).json()) as { total: number };
  expect(tokenTotal).toBeGreaterThanOrEqual(30);
  const { total: deleteTotal } = (await (
    await api.request.get('/api/audit?action=token.delete&limit=1')
  ).json()) as { total: number };
  expect(deleteTotal).toBeGreaterThanOrEqual(15);

  await page.goto('/audit');
  const table = page.getByTestId('audit-table');
  await expect(table).toBeVisible();
  await expect(table.getByRole('columnheader')).toHaveText([
    'When',
    'Actor',
    'Action',
    'Target',
    'IP address',
    'Details',
  ]);
  // The setup project's sign-in is in there.
  await expect(table).toContainText('auth.login');
  await shot(page, 'audit');

  // Prefix filter: only token.* rows, total from the server.
  await page.getByRole('textbox', { name: 'Action' }).fill('token.');
  await page.getByRole('button', { name: 'Filter', exact: true }).click();
  await expect(page).toHaveURL(/action=token\./);
  await expect(page.getByTestId('audit-range')).toHaveText(
    `Showing 1–${Math.min(50, tokenTotal)} of ${tokenTotal} entries`,
  );
  const actions = table.getByRole('row').locator('td:nth-child(3)');
  await expect
    .poll(async () => (await actions.allInnerTexts()).every((t) => t.startsWith('token.')))
    .toBe(true);

  // Exact filter.
  await page.getByRole('textbox', { name: 'Action' }).fill('token.delete');
  await page.getByRole('button', { name: 'Filter', exact: true }).click();
  await expect(page).toHaveURL(/action=token\.delete/);
  // The previous page stays on screen while the next loads: wait until only exact matches are left.
  await expect
    .poll(async () => (await actions.allInnerTexts()).every((t) => t === 'token.delete'))
    .toBe(true);
  await expect(page.getByTestId('audit-range')).toContainText(`of ${deleteTotal} entries`);
  await expect(table).toContainText('token.delete');

  // Paging: 25 per page, then page 2 continues where page 1 stopped.
  await page.getByRole('textbox', { name: 'Action' }).fill('token.');
  await page.getByRole('button', { name: 'Filter', exact: true }).click();
  await page.getByRole('textbox', { name: 'Entries per page' }).click();
  await page.getByRole('option', { name: '25 per page' }).click();
  await expect(page.getByTestId('audit-range')).toHaveText(`Showing 1–25 of ${tokenTotal} entries`);
  await expect(table.getByRole('row')).toHaveCount(26);
  await page.getByRole('button', { name: 'Page 2', exact: true }).click();
  await expect(page.getByTestId('audit-range')).toHaveText(
    `Showing 26–${Math.min(50, tokenTotal)} of ${tokenTotal} entries`,
  );
  await shot(page, 'audit-filtered-page-2');

  // A filter that matches nothing says so.
  await page.getByRole('textbox', { name: 'Action' }).fill('no.such.action');
  await page.getByRole('button', { name: 'Filter', exact: true }).click();
  await expect(page.getByTestId('empty-state')).toContainText('No entries for “no.such.action”');
  await page.getByRole('button', { name: 'Clear filter' }).click();
  await expect(table).toBeVisible();
});

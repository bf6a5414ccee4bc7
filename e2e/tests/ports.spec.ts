import { expect, test } from '@playwright/test';
import { apiAs } from '../support/api.js';
import { HTTP_PORT, HTTPS_PORT } from '../support/env.js';
import { shot } from '../support/shot.js';

/**
 * The e2e server runs with CERTDESK_HTTP_PORT and CERTDESK_HTTPS_PORT set: Server Settings shows both
 * ports as set by the environment, read-only, and the API refuses to change them.
 */
test('ports set by the environment are shown as such, read-only, and cannot be changed', async ({ page }) => {
  await page.goto('/settings');
  const http = page.getByTestId('http-port');
  const https = page.getByTestId('https-port');
  // The page reads settings, certificates and bindings first: slow on a busy machine, not a failure.
  await expect(http).toHaveValue(String(HTTP_PORT), { timeout: 30_000 });
  await expect(https).toHaveValue(String(HTTPS_PORT));
  await expect(http).toHaveAttribute('readonly', '');
  await expect(https).toHaveAttribute('readonly', '');
  await expect(
    page.getByText('Set by the environment (CERTDESK_HTTP_PORT): change it there and restart.'),
  ).toBeVisible();
  await expect(
    page.getByText('Set by the environment (CERTDESK_HTTPS_PORT): change it there and restart.'),
  ).toBeVisible();
  await shot(page, 'settings-ports-from-environment');

  const api = await apiAs(page);
  const res = await api.request.put('/api/settings/server', {
    headers: { 'x-csrf-token': api.csrfToken },
    data: { httpsPort: HTTPS_PORT + 7 },
  });
  expect(res.status()).toBe(422);
  const body = (await res.json()) as { code: string; field: string };
  expect(body.code).toBe('PORT_SET_BY_ENVIRONMENT');
  expect(body.field).toBe('httpsPort');
});

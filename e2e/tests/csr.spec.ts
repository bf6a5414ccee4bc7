import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { apiAs } from '../support/api.js';
import { ADMIN_PASSWORD } from '../support/env.js';
import { shot } from '../support/shot.js';

/** Reads a Playwright download into a string. */
async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = await download.path();
  return { name: download.suggestedFilename(), text: fs.readFileSync(file, 'utf8') };
}

/** `openssl <args>` on a temp copy of `input`; returns stdout (throws when openssl fails). */
function openssl(args: string[], input: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-e2e-csr-'));
  try {
    const file = path.join(dir, 'in.pem');
    fs.writeFileSync(file, input);
    return execFileSync('openssl', [...args.map((a) => (a === '@in' ? file : a))], {
      stdio: ['ignore', 'pipe', 'pipe'],
    }).toString();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('generate a CSR with the wizard, download server.csr and the key, decode and decrypt them in Tools', async ({
  page,
}) => {
  const cn = `shop${Date.now()}.example.com`;
  await page.goto('/csrs/new');
  await expect(page.getByRole('heading', { name: 'Generate CSR' })).toBeVisible();

  // Inline validation, with the server's sentence: a URL is not a host name.
  const cnInput = page.getByLabel('Common name (CN)');
  await cnInput.fill(`https://${cn}/`);
  await cnInput.blur();
  await expect(page.getByText('must not include a scheme ("https://")')).toBeVisible();
  await shot(page, 'csr-wizard-validation');
  // Next is refused while a field is wrong.
  await page.getByTestId('wizard-next').click();
  await expect(page.getByLabel('Common name (CN)')).toBeVisible();

  await cnInput.fill(cn);
  await expect(page.getByText('must not include a scheme')).toHaveCount(0);
  const sans = page.getByRole('textbox', { name: 'Subject alternative names (SANs)' });
  await sans.fill(`www.${cn}`);
  await sans.press('Enter');
  await sans.fill('10.0.0.5');
  await sans.press('Enter');
  await page.getByLabel('Organization (O)').fill('Example Shop GmbH');
  await page.getByLabel('Locality / city (L)').fill('München');
  await page.getByRole('textbox', { name: 'Country (C)' }).fill('Germany');
  await page.getByRole('option', { name: 'Germany (DE)' }).click();
  await shot(page, 'csr-wizard-subject');
  await page.getByTestId('wizard-next').click();

  // Key step left as it opens: ECDSA P-256 is the default when the admin does not choose (issue 15).
  await expect(page.getByLabel(/P-256/)).toBeChecked();
  await shot(page, 'csr-wizard-key');
  await page.getByTestId('wizard-next').click();

  const review = page.getByTestId('csr-review');
  await expect(review).toContainText(cn);
  await expect(review).toContainText('Germany (DE)');
  await expect(review).toContainText('10.0.0.5');
  await expect(review).toContainText('ECDSA P-256');
  await shot(page, 'csr-wizard-review');
  await page.getByTestId('wizard-generate').click();

  const created = page.getByTestId('csr-created');
  await expect(created).toBeVisible({ timeout: 30_000 });
  const pem = ((await created.getByTestId('csr-pem').locator('pre').textContent()) ?? '').trim();
  expect(pem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----/);
  await shot(page, 'csr-wizard-created');

  // server.csr: the same PEM, and openssl verifies it.
  const csrFile = await downloaded(page, () => created.getByTestId('download-csr').click());
  expect(csrFile.name).toBe('server.csr');
  expect(csrFile.text.trim()).toBe(pem);
  const text = openssl(['req', '-in', '@in', '-verify', '-noout', '-text'], csrFile.text);
  expect(text).toContain(`DNS:${cn}, DNS:www.${cn}, IP Address:10.0.0.5`);
  expect(text).toContain('ecdsa-with-SHA256');

  // The key: a wrong account password is refused, the right one with a passphrase gives an encrypted key.
  await created.getByTestId('download-key').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Your account password').fill('not my password');
  await dialog.getByRole('button', { name: 'Download server.key' }).click();
  await expect(dialog.getByTestId('error-alert')).toContainText('REAUTH_FAILED');
  await dialog.getByTestId('key-passphrase').fill('e2e key passphrase');
  await dialog.getByTestId('key-passphrase-confirm').fill('e2e key passphrase');
  await dialog.getByLabel('Your account password').fill(ADMIN_PASSWORD);
  await shot(page, 'csr-key-download-dialog');
  const keyFile = await downloaded(page, () =>
    dialog.getByRole('button', { name: 'Download server.key' }).click(),
  );
  expect(keyFile.name).toBe('server.key');
  expect(keyFile.text).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
  await expect(dialog).toBeHidden();

  // The list shows it pending; the detail page has the decoded fields.
  await page.goto('/csrs');
  const row = page.getByTestId('csr-table').getByRole('row').filter({ hasText: cn });
  await expect(row).toContainText('Pending');
  await shot(page, 'csr-list');
  await row.getByRole('link', { name: cn }).click();
  await expect(
    page.getByRole('heading', { name: new RegExp(`CSR #\\d+: ${cn.replace(/\./g, '\\.')}`) }),
  ).toBeVisible();
  await expect(page.getByTestId('csr-sans-list')).toContainText('10.0.0.5');
  await expect(page.getByText('ecdsa-with-SHA256')).toBeVisible();
  await shot(page, 'csr-detail');

  // Tools: decode the CSR (signature checked), decrypt the key (wrong passphrase first).
  await page.goto('/tools');
  await page.getByTestId('decode-csr-input').fill(csrFile.text);
  await page.getByRole('button', { name: 'Decode' }).click();
  const decoded = page.getByTestId('decoded-csr');
  await expect(decoded).toContainText('Signature verified');
  await expect(decoded).toContainText(`DNS: www.${cn}`);
  await expect(decoded).toContainText('ECDSA P-256');
  await shot(page, 'tools-decode-csr');

  await page.getByRole('tab', { name: 'Decrypt private key' }).click();
  await page.getByTestId('decrypt-key-input').fill(keyFile.text);
  await page.getByTestId('decrypt-key-passphrase').fill('wrong');
  await page.getByRole('button', { name: 'Decrypt' }).click();
  await expect(page.getByTestId('error-alert')).toContainText('WRONG_PASSWORD');
  await page.getByTestId('decrypt-key-passphrase').fill('e2e key passphrase');
  await page.getByRole('button', { name: 'Decrypt' }).click();
  const plain = page.getByTestId('decrypted-key');
  await expect(plain).toContainText('-----BEGIN PRIVATE KEY-----');
  await shot(page, 'tools-decrypt-key');
  // The decrypted key is the CSR's key.
  const keyPem = ((await plain.locator('pre').textContent()) ?? '').trim();
  expect(openssl(['pkey', '-in', '@in', '-pubout'], keyPem)).toBe(
    openssl(['req', '-in', '@in', '-pubkey', '-noout'], csrFile.text),
  );
});

test('a renew link prefills the wizard and shows the banner; an unknown certificate is refused', async ({
  page,
}) => {
  await page.goto(
    '/csrs/new?commonName=renew.example.com&san=api.example.com&san=10.1.1.1&organization=Acme&country=US&keyType=ec&curve=P-384&renews=987654',
  );
  await expect(page.getByTestId('renew-banner')).toContainText('Renewing certificate #987654');
  await expect(page.getByLabel('Common name (CN)')).toHaveValue('renew.example.com');
  await expect(page.getByLabel('Organization (O)')).toHaveValue('Acme');
  await shot(page, 'csr-wizard-renew');
  await page.getByTestId('wizard-next').click();
  await expect(page.getByLabel(/P-384/)).toBeChecked();
  await page.getByTestId('wizard-next').click();
  await expect(page.getByTestId('csr-review')).toContainText('api.example.com');
  await page.getByTestId('wizard-generate').click();
  await expect(page.getByTestId('error-alert')).toContainText('There is no certificate #987654 to renew');
});

test("the server's field error is shown on its input", async ({ page }) => {
  // The wizard checks countries against the server's ISO list. To reach the server's own check, this test
  // (and only it) adds a code that is not ISO 3166-1 to the list the browser receives; the server still refuses it.
  await page.route('**/api/csrs/countries', async (route) => {
    const response = await route.fetch();
    const body = (await response.json()) as { items: Array<{ code: string; name: string }> };
    body.items.unshift({ code: 'XX', name: 'Not a country' });
    await route.fulfill({ response, json: body });
  });
  await page.goto('/csrs/new?commonName=field.example.com&country=XX&keyType=ec');
  await expect(page.getByLabel('Common name (CN)')).toHaveValue('field.example.com');
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('wizard-generate').click();
  // Back on the subject step, the sentence sits under the country input.
  const country = page.getByRole('textbox', { name: 'Country (C)' });
  await expect(country).toBeVisible();
  await expect(country).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('"XX" is not an ISO 3166-1 country code.')).toBeVisible();
  await shot(page, 'csr-wizard-server-field-error');
  // Nothing was stored.
  const api = await apiAs(page);
  const list = (await (await api.request.get('/api/csrs')).json()) as {
    items: Array<{ commonName: string }>;
  };
  expect(list.items.some((c) => c.commonName === 'field.example.com')).toBe(false);
});

test('an RSA-4096 key shows progress while it is generated', async ({ page }) => {
  await page.goto('/csrs/new?commonName=big.example.com&keyType=rsa&keySize=4096');
  await page.getByTestId('wizard-next').click();
  await expect(page.getByLabel(/4096 bits/)).toBeChecked();
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('wizard-generate').click();
  // Key generation takes seconds, so the indicator is on screen long enough to see (not a timing assertion:
  // if the key were instant this would be the rare flake, and that would itself be worth knowing).
  await expect(page.getByTestId('csr-generating')).toContainText('Generating the RSA 4096-bit key');
  await shot(page, 'csr-wizard-generating');
  await expect(page.getByTestId('csr-created')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('csr-generating')).toHaveCount(0);
});

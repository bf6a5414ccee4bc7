import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { expectNoSeriousA11yViolations } from '../support/a11y.js';
import { apiAs } from '../support/api.js';
import { shot } from '../support/shot.js';

/** A small PKI made with openssl for this spec: a root, a leaf it signs, and a PFX of both. */
function makeFiles(dir: string, cn: string, pfxPassword: string) {
  const f = (n: string) => path.join(dir, n);
  const run = (args: string[]) =>
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  run([
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    f('root.key'),
    '-out',
    f('root.pem'),
    '-subj',
    '/CN=E2E Tools Root/O=E2E',
    '-days',
    '30',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  run([
    'req',
    '-new',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    f('leaf.key'),
    '-out',
    f('leaf.csr'),
    '-subj',
    `/CN=${cn}`,
  ]);
  fs.writeFileSync(
    f('leaf.ext'),
    `basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:${cn},IP:10.9.8.7\n`,
  );
  run([
    'x509',
    '-req',
    '-in',
    f('leaf.csr'),
    '-CA',
    f('root.pem'),
    '-CAkey',
    f('root.key'),
    '-CAcreateserial',
    '-days',
    '20',
    '-extfile',
    f('leaf.ext'),
    '-out',
    f('leaf.pem'),
  ]);
  run([
    'pkcs12',
    '-export',
    '-in',
    f('leaf.pem'),
    '-inkey',
    f('leaf.key'),
    '-certfile',
    f('root.pem'),
    '-name',
    'E2E friendly name',
    '-passout',
    `pass:${pfxPassword}`,
    '-out',
    f('site.pfx'),
  ]);
  return { pfx: f('site.pfx'), leafPem: f('leaf.pem'), rootPem: f('root.pem') };
}

/** Picks `file` in the Mantine FileInput with this test id (through the browser's file chooser). */
async function chooseFile(page: Page, testId: string, file: string) {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByTestId(testId).click()]);
  await chooser.setFiles(file);
}

test('decode a PFX (password asked), then convert a certificate to DER', async ({ page }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-e2e-tools-'));
  try {
    const cn = `decode${Date.now()}.example.test`;
    const files = makeFiles(dir, cn, 'e2e pfx pass');
    await page.goto('/tools?tool=decode');
    await expect(page.getByRole('tab', { name: 'Decode any file' })).toHaveAttribute('aria-selected', 'true');
    await chooseFile(page, 'decode-file-input', files.pfx);
    await page.getByRole('button', { name: 'Decode' }).click();
    // No password: the server says one is needed, and the field says so too.
    await expect(page.getByTestId('error-alert')).toContainText('WRONG_PASSWORD');
    await page.getByTestId('decode-file-password').fill('e2e pfx pass');
    await page.getByRole('button', { name: 'Decode' }).click();
    const decoded = page.getByTestId('decoded-file');
    await expect(decoded).toContainText('PKCS#12 file (.pfx/.p12)');
    await expect(decoded).toContainText('Holds 2 certificates, 1 private key that matches its certificate.');
    const leafCard = page.getByTestId('decoded-certificate').filter({ hasText: cn });
    await expect(leafCard).toContainText('E2E friendly name');
    await expect(leafCard).toContainText('key in file');
    await expect(leafCard).toContainText('10.9.8.7');
    await expect(leafCard).toContainText('RSA (2048 bits)');
    const sha1 = execFileSync('openssl', ['x509', '-in', files.leafPem, '-noout', '-fingerprint', '-sha1'])
      .toString()
      .split('=')[1]!
      .trim()
      .replace(/:/g, '');
    await expect(leafCard).toContainText(sha1);
    await expect(page.getByTestId('decoded-key')).toContainText(`Certificate "${cn}" — the key matches`);
    await expect(page.getByText('-----BEGIN PRIVATE KEY-----')).toHaveCount(0);
    await shot(page, 'tools-decode-file');

    await page.getByRole('tab', { name: 'Convert' }).click();
    await chooseFile(page, 'convert-files', files.leafPem);
    await page.getByTestId('convert-target').getByText('DER').click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Convert and download' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${cn}.cer`);
    const der = fs.readFileSync(await download.path());
    const viaOpenssl = (args: string[], input?: Buffer) =>
      execFileSync('openssl', args, { input }).toString();
    expect(viaOpenssl(['x509', '-inform', 'DER', '-noout', '-fingerprint', '-sha256'], der)).toBe(
      viaOpenssl(['x509', '-in', files.leafPem, '-noout', '-fingerprint', '-sha256']),
    );
    await expect(page.getByTestId('convert-done')).toContainText(`${cn}.cer`);
    await shot(page, 'tools-convert');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** A CRL from the spec's root revoking its leaf (openssl ca -revoke, then -gencrl), as DER. */
function makeCrl(dir: string, files: { leafPem: string; rootPem: string }): string {
  const f = (n: string) => path.join(dir, n);
  fs.writeFileSync(f('index.txt'), '');
  fs.writeFileSync(f('crlnumber'), '2A\n');
  fs.writeFileSync(
    f('ca.cnf'),
    `[ca]\ndefault_ca=d\n[d]\ndatabase=${f('index.txt')}\ncrlnumber=${f('crlnumber')}\ndefault_md=sha256\n`,
  );
  const ca = ['-config', f('ca.cnf'), '-cert', files.rootPem, '-keyfile', f('root.key')];
  const run = (args: string[]) =>
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  run(['ca', ...ca, '-revoke', files.leafPem, '-crl_reason', 'superseded']);
  run(['ca', ...ca, '-gencrl', '-crldays', '7', '-out', f('root.crl.pem')]);
  run(['crl', '-in', f('root.crl.pem'), '-outform', 'DER', '-out', f('root.crl')]);
  return f('root.crl');
}

test('decode a CRL: issuer, updates, CRL number and the revoked leaf', async ({ page }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-e2e-crl-'));
  try {
    const files = makeFiles(dir, `crl${Date.now()}.example.test`, 'x');
    const crl = makeCrl(dir, files);
    const serial = execFileSync('openssl', ['x509', '-in', files.leafPem, '-noout', '-serial'])
      .toString()
      .split('=')[1]!
      .trim();
    await page.goto('/tools?tool=decode');
    await chooseFile(page, 'decode-file-input', crl);
    await page.getByRole('button', { name: 'Decode' }).click();
    const decoded = page.getByTestId('decoded-file');
    await expect(decoded).toContainText('Certificate revocation list (CRL) (DER)');
    await expect(decoded).toContainText('revoking 1 certificate');
    const card = page.getByTestId('decoded-crl');
    await expect(card).toContainText('O=E2E, CN=E2E Tools Root');
    await expect(card).toContainText('CRL number');
    await expect(card).toContainText('42');
    await card.getByRole('button', { name: 'Revoked certificates (1)' }).click();
    await expect(card.getByTestId('crl-entries')).toContainText(serial.replace(/^0+/, ''));
    await expect(card.getByTestId('crl-entries')).toContainText('superseded');
    await shot(page, 'tools-decode-crl');
    await expectNoSeriousA11yViolations(page, 'tools decode CRL');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('create a lab test certificate and import it (after adding its root as a trust anchor)', async ({
  page,
}) => {
  const cn = `lab${Date.now()}.example.test`;
  await page.goto('/tools?tool=test-certificate');
  await expect(page.getByTestId('lab-warning')).toContainText('NOT FOR PRODUCTION');
  // The server's sentence lands on the field it is about.
  await page.getByTestId('lab-cn').fill(`https://${cn}/`);
  await page.getByRole('button', { name: 'Create test certificate' }).click();
  await expect(page.getByText('must not include a scheme ("https://")')).toBeVisible();
  await page.getByTestId('lab-cn').fill(cn);
  await page.getByTestId('lab-sans').fill('127.0.0.1');
  await page.getByTestId('lab-sans').press('Enter');
  await shot(page, 'tools-lab-form');
  await page.getByRole('button', { name: 'Create test certificate' }).click();
  const result = page.getByTestId('lab-result');
  await expect(result).toContainText(`Names: ${cn}, 127.0.0.1`);
  await expect(result).toContainText('TEST ONLY');
  await expect(page.getByTestId('lab-pfx-password')).not.toBeEmpty();

  // Importing before the root is trusted is refused by the chain check, and the page says why.
  const lab = page.getByTestId('lab-import');
  await lab.getByRole('button', { name: '2. Import into certdesk' }).click();
  await expect(lab.getByTestId('error-alert')).toContainText('CHAIN_NOT_TRUSTED');
  await expect(lab).toContainText('do step 1 first');
  await shot(page, 'tools-lab-import-refused');

  await lab.getByRole('button', { name: '1. Add the test root as a trust anchor' }).click();
  await expect(lab).toContainText('The test root is a trust anchor');
  await lab.getByRole('button', { name: '2. Import into certdesk' }).click();
  await expect(page.getByTestId('lab-imported')).toContainText('Imported.');
  await shot(page, 'tools-lab-imported');

  await page.getByRole('link', { name: 'Open the certificate' }).click();
  await expect(page).toHaveURL(/\/certificates\/\d+$/);
  await expect(page.getByText(cn).first()).toBeVisible();
  await shot(page, 'tools-lab-certificate-detail');

  // Leave the shared database as other specs expect it: no lab certificate, no lab root.
  const api = await apiAs(page);
  const id = page.url().split('/').pop();
  expect((await api.del(`/api/certificates/${id}`)).status()).toBeLessThan(300);
  const anchors = (await (await api.request.get('/api/trust-anchors')).json()) as {
    items: Array<{ id: number; subject: string }>;
  };
  for (const a of anchors.items.filter((x) => x.subject.includes('certdesk TEST root'))) {
    expect((await api.del(`/api/trust-anchors/${a.id}`)).status()).toBe(204);
  }
});

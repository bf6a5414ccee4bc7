import tls from 'node:tls';
import { expect, type Page, test } from '@playwright/test';
import type { Issued as Pem } from '../../server/test/support/pki.js';
import { TlsPki } from '../../server/test/support/tls-seed.js';
import { apiAs } from '../support/api.js';
import { HOST, HTTPS_PORT } from '../support/env.js';
import { shot } from '../support/shot.js';

/**
 * SNI bindings: the certificate list offers only what can be served, and an ECDSA certificate is bound
 * beside an RSA default and served for its name, whatever the client prefers. HTTPS is switched on only
 * as a pending change (served at once) and cancelled at the end: the shared server is left in HTTP mode.
 */
const pki = new TlsPki();
const stamp = Date.now();
const ecName = `ec${stamp}.example.test`;
test.afterAll(() => pki.cleanup());

const file = (name: string, data: string) => ({ name, mimeType: 'text/plain', buffer: Buffer.from(data) });

async function importPem(page: Page, leaf: Pem, withKey: boolean): Promise<number> {
  const { request, csrfToken } = await apiAs(page);
  const bundle = leaf.certPem + (withKey ? leaf.keyPem : '') + pki.intermediate.certPem;
  const res = await request.post('/api/certificates', {
    headers: { 'x-csrf-token': csrfToken },
    multipart: { file: file('bundle.pem', bundle) },
  });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

/** The subject CN of the certificate the HTTPS port presents for `servername`, with these signature algorithms. */
function servedCn(servername: string, sigalgs: string): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = tls.connect(
      { host: HOST, port: HTTPS_PORT, servername, sigalgs, rejectUnauthorized: false },
      () => {
        const cn = socket.getPeerCertificate().subject?.CN;
        resolve(Array.isArray(cn) ? (cn[0] ?? null) : (cn ?? null));
        socket.destroy();
      },
    );
    socket.on('error', () => resolve(null));
  });
}

test('bindings offer only servable certificates; RSA and ECDSA are served side by side', async ({ page }) => {
  await page.goto('/settings');
  const { request, csrfToken, del } = await apiAs(page);
  const headers = { 'x-csrf-token': csrfToken };
  const anchor = await request.post('/api/trust-anchors', {
    headers,
    multipart: { file: file('r.pem', pki.root.certPem) },
  });
  expect([201, 409]).toContain(anchor.status());
  const rsaDefault = await importPem(page, pki.leaf([HOST, 'localhost']), true);
  const ec = await importPem(page, pki.leaf([ecName], { key: 'ec256' }), true);
  const keyless = await importPem(page, pki.leaf([`nokey${stamp}.example.test`]), false);

  await page.reload();
  const section = page.getByTestId('bindings');
  await section.getByRole('textbox', { name: 'Host name' }).fill(ecName);
  await section.getByTestId('binding-certificate').click();
  await expect(page.getByRole('option', { name: new RegExp(`^#${ec} `) })).toBeVisible();
  await expect(page.getByRole('option', { name: new RegExp(`^#${keyless} `) })).toHaveCount(0);
  await expect(page.getByRole('option', { name: /no private key|expired/ })).toHaveCount(0);
  await shot(page, 'sni-binding-choices');
  await page.getByRole('option', { name: new RegExp(`^#${ec} `) }).click();
  await section.getByRole('button', { name: 'Add binding' }).click();
  await expect(section).toContainText(`${ecName}:${HTTPS_PORT}`);

  // HTTPS with the RSA default, as a pending change (served at once); cancelled below.
  const on = await request.put('/api/settings/server', {
    headers,
    data: { httpsEnabled: true, activeCertificateId: rsaDefault, serverNames: [HOST] },
  });
  expect(on.status(), await on.text()).toBe(202);
  try {
    const ecdsaFirst = 'ecdsa_secp256r1_sha256:rsa_pss_rsae_sha256:rsa_pkcs1_sha256';
    const rsaFirst = 'rsa_pss_rsae_sha256:rsa_pkcs1_sha256:ecdsa_secp256r1_sha256';
    expect(await servedCn(ecName, ecdsaFirst)).toBe(ecName);
    expect(await servedCn(ecName, rsaFirst)).toBe(ecName);
    expect(await servedCn('localhost', ecdsaFirst)).toBe(HOST);
    await page.reload();
    await expect(section).toContainText(`${ecName}:${HTTPS_PORT}`);
    await shot(page, 'sni-bindings-side-by-side');
  } finally {
    expect((await del('/api/settings/server/pending')).status()).toBeLessThan(300);
    const list = (await (await request.get('/api/bindings')).json()) as {
      items: { id: number; hostname: string | null }[];
    };
    for (const b of list.items.filter((i) => i.hostname === ecName)) await del(`/api/bindings/${b.id}`);
  }
});

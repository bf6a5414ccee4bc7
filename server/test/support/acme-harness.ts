import fs from 'node:fs';
import { type BuildHooks, buildApp } from '../../src/build-app.js';
import type { Config } from '../../src/config.js';
import { createTestApp, login, multipart, type Session, type TestApp } from './app.js';
import { type Pebble, type PebbleOptions, startPebble } from './pebble.js';

/** The console with its real HTTP listener on a free port, a pebble validating against it, and a session. */
export interface AcmeHarness {
  app: TestApp;
  pebble: Pebble;
  session: Session;
  httpPort: number;
  config: Config;
  /** Stops the console (as a restart would) and starts a new one on the same data directory and port. */
  restart: () => Promise<void>;
  close: () => Promise<void>;
}

export async function startAcmeHarness(
  pebbleOpts: Omit<PebbleOptions, 'httpPort'> = {},
  hooks: BuildHooks = {},
  env: Record<string, string> = {},
): Promise<AcmeHarness> {
  const t = await createTestApp({ CERTDESK_HTTP_PORT: '0', CERTDESK_HTTPS_PORT: '0', ...env }, hooks);
  await t.app.httpsManager.start();
  const httpPort = t.app.httpsManager.ports.http as number;
  let pebble: Pebble;
  try {
    pebble = await startPebble({ ...pebbleOpts, httpPort });
  } catch (err) {
    await t.close();
    throw err;
  }
  const session = await login(t.app);
  // Pebble's issuing root is a private CA: trusted as an enterprise anchor, as an admin would do.
  const form = multipart([
    { name: 'file', filename: 'pebble-root.pem', data: await pebble.issuingRootPem() },
  ]);
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/trust-anchors',
    headers: { ...session.headers, ...form.headers },
    payload: form.payload,
  });
  if (res.statusCode !== 201) throw new Error(`trust anchor: ${res.statusCode} ${res.body}`);
  const h: AcmeHarness = {
    app: t.app,
    pebble,
    session,
    httpPort,
    config: { ...t.config, httpPort },
    restart: async () => {
      await h.app.close();
      h.app = await buildApp(h.config, {}, hooks);
      await h.app.httpsManager.start();
      h.session = await login(h.app);
    },
    close: async () => {
      await pebble.stop();
      await h.app.close();
      fs.rmSync(t.dataDir, { recursive: true, force: true });
    },
  };
  return h;
}

export async function createAccount(
  h: AcmeHarness,
  extra: Record<string, unknown> = {},
): Promise<{ statusCode: number; body: Record<string, unknown> }> {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/acme/accounts',
    headers: h.session.headers,
    payload: {
      directoryUrl: h.pebble.directoryUrl,
      email: 'admin@example.com',
      termsOfServiceAgreed: true,
      caPem: h.pebble.apiCaPem,
      ...extra,
    },
  });
  return { statusCode: res.statusCode, body: res.json() };
}

export async function order(
  h: AcmeHarness,
  body: Record<string, unknown>,
): Promise<{ statusCode: number; body: Record<string, unknown> }> {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/acme/orders',
    headers: h.session.headers,
    payload: body,
  });
  return { statusCode: res.statusCode, body: res.json() };
}

/**
 * Deactivates (RFC 8555 §7.5.2) every valid authorization of the account's stored orders, so the next order
 * must be validated afresh: pebble still reuses a valid one in a hundred orders at PEBBLE_AUTHZREUSE=0 (it
 * compares rand.Intn(100) > percent). Returns how many it deactivated.
 */
export async function deactivateValidAuthorizations(h: AcmeHarness, accountId: number): Promise<number> {
  const client = h.app.acmeAccountService.client(accountId);
  let deactivated = 0;
  for (const row of h.app.acmeOrders.list()) {
    if (!row.order_url) continue;
    const order = await client.getOrder({ url: row.order_url } as Parameters<typeof client.getOrder>[0]);
    for (const authz of await client.getAuthorizations(order)) {
      if (authz.status !== 'valid') continue;
      await client.deactivateAuthorization(authz);
      deactivated++;
    }
  }
  return deactivated;
}

import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { AIA_FETCH_FAILED_NOTE } from '../../src/cert/aia.js';
import { classifyAddress } from '../../src/net/address-policy.js';
import { createAiaFetcher } from '../../src/net/aia-fetcher.js';
import { createTestApp, login, multipart, type Session } from '../support/app.js';
import { type Issued, TestPki } from '../support/pki.js';

/**
 * Red-team finding: the AIA "CA Issuers" URL of an uploaded certificate was fetched whatever it named —
 * loopback (also as 2130706433, 0x7f.1, [::ffff:127.0.0.1]), the console itself, any port — with URL
 * user info sent as Basic auth, and the report's notes told status codes, refusals and timeouts apart.
 * A listener on 127.0.0.1 counts every request that reaches it: the refused spellings must not.
 */
const pki = new TestPki();
let root: Issued;
let ica: Issued;
let hits: string[] = [];
const servers: http.Server[] = [];
let allowedPort: number;
let otherPort: number;

async function countingListener(host: string, port = 0): Promise<http.Server | null> {
  const server = http.createServer((req, res) => {
    hits.push(`${host} ${req.url} ${req.headers.authorization ?? ''}`);
    if (req.url === '/redirect') {
      res.writeHead(302, { location: `http://127.0.0.1:${allowedPort}/after-redirect` }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/pkix-cert' }).end(ica.certDer);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, resolve);
    });
  } catch {
    return null; // no IPv6 loopback on this machine: the [::1] spellings then cannot be reached anyway
  }
  servers.push(server);
  return server;
}

before(async () => {
  root = pki.root('SSRF Root');
  ica = pki.intermediate('SSRF Issuing CA', root);
  const portOf = (server: http.Server | null) => {
    assert.ok(server, 'a listener on 127.0.0.1');
    return (server.address() as AddressInfo).port;
  };
  allowedPort = portOf(await countingListener('127.0.0.1'));
  await countingListener('::1', allowedPort);
  otherPort = portOf(await countingListener('127.0.0.1'));
});

after(async () => {
  for (const s of servers) s.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  pki.cleanup();
});

describe('AIA downloads are not an internal scanner', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let s: Session;

  before(async () => {
    t = await createTestApp({ CERTDESK_AIA_PORTS: `80,8080,${allowedPort}` });
    s = await login(t.app);
    const anchor = multipart([{ name: 'file', filename: 'root.pem', data: root.certPem }]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/trust-anchors',
      payload: anchor.payload,
      headers: { ...anchor.headers, ...s.headers },
    });
    assert.equal(res.statusCode, 201, res.body);
  });
  after(() => t.close());

  async function allowPrivate(on: boolean): Promise<void> {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/settings/server',
      payload: { aiaAllowPrivate: on },
      headers: s.headers,
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().aiaAllowPrivate, on);
  }

  /** A dry-run import of a leaf whose only way to its issuer is the given AIA URL; returns the notes. */
  async function importWithAia(url: string): Promise<{ notes: string[]; chainPassed: boolean }> {
    const leaf = pki.leaf('aia.example.test', ica, { extra: [`authorityInfoAccess=caIssuers;URI:${url}`] });
    const form = multipart([
      { name: 'file', filename: 'leaf.pem', data: leaf.certPem },
      { name: 'dryRun', value: 'true' },
    ]);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/certificates',
      payload: form.payload,
      headers: { ...form.headers, ...s.headers },
    });
    assert.ok(res.statusCode === 200 || res.statusCode === 422, res.body);
    const report = res.json().report as { notes: string[]; checks: { id: string; status: string }[] };
    return {
      notes: report.notes,
      chainPassed: report.checks.some((c) => c.id === 'chain' && c.status === 'pass'),
    };
  }

  function assertNeutral(notes: string[], url: string): void {
    assert.ok(notes.includes(AIA_FETCH_FAILED_NOTE), `${url}: ${notes.join(' | ')}`);
    const text = notes.join(' ');
    assert.doesNotMatch(text, /HTTP \d|ECONN|refused|timed out|timeout|larger than|not allowed/i, url);
  }

  test('loopback in every spelling, and the name localhost, get zero hits by default', async () => {
    await allowPrivate(false);
    const p = allowedPort;
    const spellings = [
      `http://127.0.0.1:${p}/ica.crt`,
      `http://localhost:${p}/ica.crt`,
      `http://2130706433:${p}/ica.crt`,
      `http://0x7f.1:${p}/ica.crt`,
      `http://0177.0.0.1:${p}/ica.crt`,
      `http://127.1:${p}/ica.crt`,
      `http://[::1]:${p}/ica.crt`,
      `http://[::ffff:127.0.0.1]:${p}/ica.crt`,
      `http://[::ffff:7f00:1]:${p}/ica.crt`,
      `http://[0:0:0:0:0:ffff:127.0.0.1]:${p}/ica.crt`,
    ];
    hits = [];
    for (const url of spellings) assertNeutral((await importWithAia(url)).notes, url);
    assert.deepEqual(hits, []);
  });

  test('user info, a port other than the allowed ones and redirects: zero hits even with private ranges allowed', async () => {
    await allowPrivate(true);
    hits = [];
    for (const url of [
      `http://user:pw@127.0.0.1:${allowedPort}/ica.crt`,
      `http://user@127.0.0.1:${allowedPort}/ica.crt`,
      `http://127.0.0.1:${otherPort}/ica.crt`,
    ])
      assertNeutral((await importWithAia(url)).notes, url);
    assert.deepEqual(hits, []);

    const redirect = await importWithAia(`http://127.0.0.1:${allowedPort}/redirect`);
    assertNeutral(redirect.notes, 'redirect');
    assert.deepEqual(hits, [`127.0.0.1 /redirect `], 'the redirect is not followed');
  });

  test('positive control: with private ranges allowed and the port allowed, the issuer is fetched', async () => {
    await allowPrivate(true);
    hits = [];
    const { notes, chainPassed } = await importWithAia(`http://127.0.0.1:${allowedPort}/ica.crt`);
    assert.deepEqual(hits, ['127.0.0.1 /ica.crt ']);
    assert.ok(
      notes.some((n) => n.startsWith('Fetched 1 certificate(s)')),
      notes.join(' | '),
    );
    assert.ok(chainPassed, notes.join(' | '));
  });

  test("the console's own ports are never fetched on its own addresses, even with private ranges allowed", async () => {
    hits = [];
    const fetcher = createAiaFetcher({
      allowPrivate: true,
      ports: [allowedPort],
      ownPorts: () => [allowedPort],
    });
    for (const url of [`http://127.0.0.1:${allowedPort}/`, `http://localhost:${allowedPort}/`]) {
      await assert.rejects(fetcher(url));
    }
    assert.deepEqual(hits, []);
  });
});

describe('address classes', () => {
  test('private, forbidden and public addresses, IPv4-mapped and NAT64 forms judged by the IPv4 inside', () => {
    const expected: Record<string, string> = {
      '127.0.0.1': 'private',
      '10.1.2.3': 'private',
      '172.31.255.255': 'private',
      '192.168.0.1': 'private',
      '100.64.0.1': 'private',
      'fd00::1': 'private',
      '::1': 'private',
      '::ffff:10.0.0.1': 'private',
      '::ffff:7f00:1': 'private',
      '64:ff9b::a00:1': 'private',
      '2002:c0a8:1::1': 'private',
      '0.0.0.0': 'forbidden',
      '::': 'forbidden',
      '169.254.169.254': 'forbidden',
      '::ffff:169.254.169.254': 'forbidden',
      'fe80::1': 'forbidden',
      '224.0.0.1': 'forbidden',
      'ff02::1': 'forbidden',
      '255.255.255.255': 'forbidden',
      '8.8.8.8': 'public',
      '2606:4700::1111': 'public',
      '::ffff:8.8.8.8': 'public',
    };
    for (const [ip, cls] of Object.entries(expected)) assert.equal(classifyAddress(ip), cls, ip);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { markHiddenCharacters } from '../../src/cert/display-text.js';
import { CERTIFICATE_LIMITS } from '../../src/cert/x509-info.js';
import { createTestApp, login, multipart, type Session } from '../support/app.js';
import { type Issued, TestPki } from '../support/pki.js';

/**
 * Red-team finding: a right-to-left override in a certificate name was shown raw, so
 * "evil<RLO>gpj.example.com" displayed as "evilmoc.elpmaxe.jpg"; OpenSSL's RFC 2253 escaping ("Shop\, Inc.")
 * leaked into the common name; and a certificate with 10,000 names was called CERTIFICATE_DAMAGED.
 */
const RLO = '\u202E';
const ZWSP = '\u200B';
const pki = new TestPki();
let root: Issued;
after(() => pki.cleanup());

/** A leaf signed by `root` whose subject is given to openssl as UTF-8 (`-subj` syntax). */
function utf8Leaf(subject: string, sans: string[]): string {
  const n = Math.random().toString(16).slice(2);
  const key = pki.file(`${n}.key`);
  pki.openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key]);
  const csr = pki.file(`${n}.csr`);
  pki.openssl([
    'req',
    '-new',
    '-utf8',
    '-config',
    pki.file('ca.cnf'),
    '-key',
    key,
    '-subj',
    subject,
    '-out',
    csr,
  ]);
  const ext = pki.write(
    `${n}.ext`,
    [
      '[ext]',
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
      `subjectAltName=${sans.map((s) => `DNS:${s}`).join(',')}`,
    ].join('\n'),
  );
  const crt = pki.file(`${n}.crt`);
  pki.openssl([
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    root.certPath,
    '-CAkey',
    root.keyPath,
    '-set_serial',
    `0x${n}`,
    '-days',
    '30',
    '-extfile',
    ext,
    '-extensions',
    'ext',
    '-out',
    crt,
  ]);
  return pki.openssl(['x509', '-in', crt]).toString();
}

describe('certificate names cannot spoof the display', () => {
  let t: Awaited<ReturnType<typeof createTestApp>>;
  let s: Session;

  before(async () => {
    root = pki.root('Display Root');
    t = await createTestApp();
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

  const importPem = async (pem: string, dryRun = false) => {
    const form = multipart([
      { name: 'file', filename: 'leaf.pem', data: pem },
      ...(dryRun ? [{ name: 'dryRun', value: 'true' }] : []),
    ]);
    return t.app.inject({
      method: 'POST',
      url: '/api/certificates',
      payload: form.payload,
      headers: { ...form.headers, ...s.headers },
    });
  };

  test('bidi overrides and zero-width characters come back as visible markers, in answers and errors', async () => {
    const pem = utf8Leaf(`/CN=evil${RLO}gpj.example.com/O=Zero${ZWSP}Width Ltd`, ['spoof.example.com']);
    const dry = await importPem(pem, true);
    assert.equal(dry.statusCode, 200, dry.body);
    assert.equal(dry.json().certificate.commonName, 'evil<U+202E>gpj.example.com');
    assert.match(dry.json().certificate.subject, /Zero<U\+200B>Width Ltd/);

    const stored = await importPem(pem);
    assert.equal(stored.statusCode, 201, stored.body);
    const id = stored.json().id as number;
    const again = await importPem(pem);
    assert.equal(again.statusCode, 409);

    const list = await t.app.inject({ method: 'GET', url: '/api/certificates', headers: s.headers });
    const detail = await t.app.inject({ method: 'GET', url: `/api/certificates/${id}`, headers: s.headers });
    for (const [what, res] of [
      ['dry run', dry],
      ['import', stored],
      ['409 error', again],
      ['list', list],
      ['detail', detail],
    ] as const) {
      assert.ok(
        !res.body.includes(RLO) && !res.body.includes(ZWSP),
        `${what}: a raw bidi/zero-width character`,
      );
    }
    assert.match(again.json().message, /<U\+202E>/);
    const item = (list.json().items as { id: number; commonName: string }[]).find((c) => c.id === id);
    assert.equal(item?.commonName, 'evil<U+202E>gpj.example.com');
  });

  test('the common name is shown as written, without RFC 2253 escaping', async () => {
    const pem = utf8Leaf('/CN=Shop\\, Inc. \\+ Co; <main>/O=Example', ['shop.example.com']);
    const dry = await importPem(pem, true);
    assert.equal(dry.statusCode, 200, dry.body);
    assert.equal(dry.json().certificate.commonName, 'Shop, Inc. + Co; <main>');
    const stored = await importPem(pem);
    const list = await t.app.inject({ method: 'GET', url: '/api/certificates', headers: s.headers });
    const item = (list.json().items as { id: number; commonName: string }[]).find(
      (c) => c.id === stored.json().id,
    );
    assert.equal(item?.commonName, 'Shop, Inc. + Co; <main>');
  });

  test('10,000 names: 422 TOO_MANY_NAMES with the limit, not CERTIFICATE_DAMAGED', async () => {
    const sans = Array.from({ length: 10_000 }, (_, i) => `DNS:host${i}.example.com`);
    const many = pki.leaf('many.example.com', root, { sans });
    const res = await importPem(many.certPem, true);
    assert.equal(res.statusCode, 422, res.body);
    const body = res.json();
    assert.equal(body.code, 'TOO_MANY_NAMES');
    assert.equal(body.limit, CERTIFICATE_LIMITS.maxNames);
    assert.equal(body.count, 10_000);
    assert.match(body.message, /10,000 alternative names.*at most 1,000/);
  });

  test('a certificate past the ASN.1 element limit: 422 CERTIFICATE_TOO_COMPLEX with the limit', async () => {
    const subtrees = Array.from({ length: 6000 }, (_, i) => `permitted;DNS:zone${i}.example.com`);
    const ca = pki.intermediate('Constrained CA', root, {
      extra: [`nameConstraints=critical,${subtrees.join(',')}`],
    });
    const res = await importPem(ca.certPem, true);
    assert.equal(res.statusCode, 422, res.body);
    assert.equal(res.json().code, 'CERTIFICATE_TOO_COMPLEX');
    assert.equal(res.json().limit, CERTIFICATE_LIMITS.maxAsn1Elements);
  });
});

describe('markHiddenCharacters', () => {
  test('marks bidi, zero-width and control characters; keeps text, line breaks and tabs', () => {
    assert.equal(
      markHiddenCharacters(`a${RLO}b\u2066c\u200Dd\uFEFFe\u0007f`),
      'a<U+202E>b<U+2066>c<U+200D>d<U+FEFF>e<U+0007>f',
    );
    assert.equal(markHiddenCharacters('Zürich, 東京\n\tok'), 'Zürich, 東京\n\tok');
    assert.equal(markHiddenCharacters('tag\u{E0041}'), 'tag<U+E0041>');
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ChainResult } from '../../src/cert/chain.js';
import { buildChecks, isBlocked, maxValidityDays } from '../../src/cert/report.js';
import { type CertInfo, certInfo } from '../../src/cert/x509-info.js';
import {
  buildCert,
  dns,
  EXT,
  generalizedTime,
  KU,
  leafExtensions,
  name,
  party,
  utcTime,
} from '../support/der-builder.js';

const issuer = party(name([['CN', 'Report CA']]));

function leaf(
  notBefore: string,
  notAfter: string,
  extensions = leafExtensions('r.example.test', issuer),
): CertInfo {
  const p = party(name([['CN', 'r.example.test']]));
  const time = (t: string) =>
    t.startsWith('20') && t.length === 15 ? utcTime(t.slice(2)) : generalizedTime(t);
  return certInfo(
    buildCert(
      {
        subject: p.name,
        subjectKey: p.publicKey,
        notBefore: time(notBefore),
        notAfter: time(notAfter),
        extensions,
      },
      issuer,
    ),
    'leaf',
  );
}

function chain(publicCa: boolean): ChainResult {
  const anchor = {
    selfSigned: true,
    builtInRoot: publicCa,
    commonName: 'Root',
    subject: 'CN=Root',
    serialNumber: '01',
  };
  return { ok: true, chain: [], anchor: anchor as CertInfo, problems: [], lints: [], notes: [], fetched: [] };
}

function checks(
  c: CertInfo,
  opts: { publicCa?: boolean; now: string; replaces?: { label: string; notAfter: Date } },
) {
  return buildChecks({
    leaf: c,
    key: { kind: 'match', description: 'EC P-256' },
    chain: chain(opts.publicCa ?? false),
    serverNames: [],
    now: new Date(opts.now),
    replaces: opts.replaces ?? null,
  });
}
const get = (list: ReturnType<typeof checks>, id: string) => list.find((c) => c.id === id)!;

describe('lifetime policy by notBefore date', () => {
  test('the CA/B table: 398 days, then 200 from 2026-03-15, 100 from 2027-03-15, 47 from 2029-03-15', () => {
    assert.equal(maxValidityDays(new Date('2026-03-14T23:59:59Z')), 398);
    assert.equal(maxValidityDays(new Date('2026-03-15T00:00:00Z')), 200);
    assert.equal(maxValidityDays(new Date('2027-03-14T12:00:00Z')), 200);
    assert.equal(maxValidityDays(new Date('2027-03-15T00:00:00Z')), 100);
    assert.equal(maxValidityDays(new Date('2029-03-15T00:00:00Z')), 47);
    assert.equal(maxValidityDays(new Date('2035-01-01T00:00:00Z')), 47);
  });

  test('over the limit: refused under a public CA, a warning under a private one', () => {
    // 250 days from 2026-04-01: fine before 2026-03-15 (398), over 200 after.
    const c = leaf('20260401000000Z', '20261207000000Z');
    const pub = checks(c, { publicCa: true, now: '2026-05-01T00:00:00Z' });
    assert.equal(get(pub, 'validity-period').status, 'fail');
    assert.match(get(pub, 'validity-period').message, /over the 200 days/);
    assert.equal(isBlocked(pub)?.id, 'validity-period');
    const priv = checks(c, { publicCa: false, now: '2026-05-01T00:00:00Z' });
    assert.equal(get(priv, 'validity-period').status, 'warn');
    assert.equal(isBlocked(priv), undefined);
    // The same length issued before 2026-03-15 is within the 398-day limit.
    const older = leaf('20260301000000Z', '20261106000000Z');
    assert.equal(
      get(checks(older, { publicCa: true, now: '2026-05-01T00:00:00Z' }), 'validity-period').status,
      'pass',
    );
  });

  test('exactly the limit passes (validity counts both ends: notAfter − notBefore + 1 s)', () => {
    const exact = leaf('20270315000000Z', '20270622235959Z'); // 100 days to the second
    assert.equal(
      get(checks(exact, { publicCa: true, now: '2027-04-01T00:00:00Z' }), 'validity-period').status,
      'pass',
    );
    const oneMore = leaf('20270315000000Z', '20270623000000Z');
    assert.equal(
      get(checks(oneMore, { publicCa: true, now: '2027-04-01T00:00:00Z' }), 'validity-period').status,
      'fail',
    );
  });
});

describe('remaining life and replacement', () => {
  test('a certificate within the largest expiry threshold warns at import', () => {
    const c = leaf('20260101000000Z', '20260301000000Z');
    const soon = checks(c, { now: '2026-02-25T00:00:00Z' });
    assert.equal(get(soon, 'not-expired').status, 'warn');
    assert.match(get(soon, 'not-expired').message, /in 4 day\(s\).*30-day/);
    assert.equal(isBlocked(soon), undefined);
    assert.equal(get(checks(c, { now: '2026-01-15T00:00:00Z' }), 'not-expired').status, 'pass');
    assert.equal(get(checks(c, { now: '2026-03-02T00:00:00Z' }), 'not-expired').status, 'fail');
  });

  test('a replacement that expires before the certificate it replaces is a warning', () => {
    const c = leaf('20260101000000Z', '20260601000000Z');
    const earlier = checks(c, {
      now: '2026-02-01T00:00:00Z',
      replaces: { label: '#7 "www"', notAfter: new Date('2026-07-01T00:00:00Z') },
    });
    assert.equal(get(earlier, 'replacement').status, 'warn');
    assert.match(get(earlier, 'replacement').message, /before the certificate it replaces, #7 "www"/);
    const later = checks(c, {
      now: '2026-02-01T00:00:00Z',
      replaces: { label: '#7 "www"', notAfter: new Date('2026-03-01T00:00:00Z') },
    });
    assert.equal(get(later, 'replacement').status, 'pass');
  });
});

describe('server-auth and key checks', () => {
  test('no EKU: refused under a public CA, a warning under a private CA', () => {
    const noEku = leaf(
      '20260101000000Z',
      '20260301000000Z',
      leafExtensions('r.example.test', issuer).filter((e) => e.oid !== '2.5.29.37'),
    );
    assert.equal(
      get(checks(noEku, { publicCa: true, now: '2026-01-10T00:00:00Z' }), 'server-auth').status,
      'fail',
    );
    assert.equal(
      get(checks(noEku, { publicCa: false, now: '2026-01-10T00:00:00Z' }), 'server-auth').status,
      'warn',
    );
    const clientOnly = leaf('20260101000000Z', '20260301000000Z', [
      EXT.basicConstraints(false),
      EXT.keyUsage(KU.digitalSignature),
      EXT.eku(['1.3.6.1.5.5.7.3.2']),
      EXT.san([dns('r.example.test')]),
      EXT.aki(issuer.keyId),
    ]);
    assert.equal(get(checks(clientOnly, { now: '2026-01-10T00:00:00Z' }), 'server-auth').status, 'fail');
  });

  test('a P-192 key is refused', () => {
    const weak = party(name([['CN', 'weak.example.test']]), 'prime192v1');
    const c = certInfo(
      buildCert(
        {
          subject: weak.name,
          subjectKey: weak.publicKey,
          extensions: leafExtensions('weak.example.test', issuer),
        },
        issuer,
      ),
      'weak',
    );
    const list = checks(c, { now: '2026-01-10T00:00:00Z' });
    assert.equal(get(list, 'key-strength').status, 'fail');
    assert.match(get(list, 'key-strength').message, /prime192v1/);
  });
});

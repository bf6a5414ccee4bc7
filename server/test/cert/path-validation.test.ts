import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildChain } from '../../src/cert/chain.js';
import { anchorProblems } from '../../src/cert/path-validation.js';
import { mozillaRoots, TrustStore } from '../../src/cert/trust-store.js';
import { coversHost, leafKeyProblem, serverAuthProblem } from '../../src/cert/web-profile.js';
import type { CertInfo } from '../../src/cert/x509-info.js';
import { AT, info, rebuild, verdict } from '../support/chain-verdict.js';
import {
  buildCert,
  caExtensions,
  dns,
  EXT,
  ext,
  generalizedTime,
  ip,
  KU,
  leafExtensions,
  name,
  party,
  rootExtensions,
  SERVER_AUTH,
  utcTime,
  webChain,
} from '../support/der-builder.js';

describe('path validation: baseline and time', () => {
  test('a well-formed chain is valid at the given time, not at the clock', async () => {
    const c = webChain('www.example.test', {
      leaf: { notBefore: utcTime('250101000000Z'), notAfter: utcTime('250601120000Z') },
    });
    assert.deepEqual(await verdict(c.leafDer, [c.icaDer], [c.rootDer]), { ok: true, problems: [] });
    // notAfter is inclusive; a fraction of a second later is still the same second.
    assert.equal(
      (await verdict(c.leafDer, [c.icaDer], [c.rootDer], new Date('2025-06-01T12:00:00.900Z'))).ok,
      true,
    );
    const late = await verdict(c.leafDer, [c.icaDer], [c.rootDer], new Date('2025-06-01T12:00:01Z'));
    assert.equal(late.ok, false);
    assert.match(late.problems.join(' '), /expired on 2025-06-01/);
    assert.equal(
      (await verdict(c.leafDer, [c.icaDer], [c.rootDer], new Date('2024-12-31T23:59:59Z'))).ok,
      false,
    );
  });

  test('GeneralizedTime year 0 and 9999 are read as written; UTCTime 49/50 pivot', () => {
    const p = party(name([['CN', 'dates']]));
    const der = buildCert(
      {
        subject: p.name,
        subjectKey: p.publicKey,
        notBefore: generalizedTime('00000101000000Z'),
        notAfter: generalizedTime('99991231235959Z'),
      },
      p,
    );
    const c = info(der);
    assert.equal(c.notBefore.toISOString(), '0000-01-01T00:00:00.000Z');
    assert.equal(c.notAfter.toISOString(), '9999-12-31T23:59:59.000Z');
    const utc = info(
      buildCert(
        {
          subject: p.name,
          subjectKey: p.publicKey,
          notBefore: utcTime('500101000000Z'),
          notAfter: utcTime('491231235959Z'),
        },
        p,
      ),
    );
    assert.equal(utc.notBefore.getUTCFullYear(), 1950);
    assert.equal(utc.notAfter.getUTCFullYear(), 2049);
  });
});

describe('path validation: extensions', () => {
  const unknown = ext('1.3.6.1.4.1.55738.666.1', Buffer.from([0x05, 0x00]), true);
  for (const where of ['leaf', 'ica', 'root'] as const) {
    test(`an unknown critical extension on the ${where} is refused; non-critical is fine`, async () => {
      const base = webChain();
      const exts = {
        leaf: leafExtensions('www.example.test', base.ica),
        ica: caExtensions(base.ica, base.root, 0),
        root: rootExtensions(base.root),
      }[where];
      const bad = rebuild(base, where, [...exts, unknown]);
      const r = await verdict(bad.leafDer, [bad.icaDer], [bad.rootDer]);
      assert.equal(r.ok, false);
      assert.match(r.problems.join(' '), /critical extension 1\.3\.6\.1\.4\.1\.55738\.666\.1/);
      const fine = rebuild(base, where, [...exts, { ...unknown, critical: false }]);
      assert.equal((await verdict(fine.leafDer, [fine.icaDer], [fine.rootDer])).ok, true);
    });
  }

  test('key identifiers: leaf without AKI, CA without SKI, critical AKI are refused', async () => {
    const base = webChain();
    const noAki = rebuild(
      base,
      'leaf',
      leafExtensions('www.example.test', base.ica).filter((e) => e.oid !== '2.5.29.35'),
    );
    assert.match(
      (await verdict(noAki.leafDer, [noAki.icaDer], [noAki.rootDer])).problems.join(' '),
      /no authorityKeyIdentifier/,
    );
    const noSki = rebuild(
      base,
      'ica',
      caExtensions(base.ica, base.root).filter((e) => e.oid !== '2.5.29.14'),
    );
    assert.match(
      (await verdict(noSki.leafDer, [noSki.icaDer], [noSki.rootDer])).problems.join(' '),
      /no subjectKeyIdentifier/,
    );
    const critAki = rebuild(base, 'leaf', [
      ...leafExtensions('www.example.test', base.ica).filter((e) => e.oid !== '2.5.29.35'),
      { ...EXT.aki(base.ica.keyId), critical: true },
    ]);
    assert.match(
      (await verdict(critAki.leafDer, [critAki.icaDer], [critAki.rootDer])).problems.join(' '),
      /critical/,
    );
  });

  test('profile breaches browsers accept are lints: refused only when strict', async () => {
    const base = webChain();
    const noAki = rebuild(
      base,
      'leaf',
      leafExtensions('www.example.test', base.ica).filter((e) => e.oid !== '2.5.29.35'),
    );
    const r = await buildChain({
      leaf: info(noAki.leafDer),
      pool: [info(noAki.icaDer)],
      trust: new TrustStore([info(noAki.rootDer)]),
      now: AT,
    });
    assert.equal(r.ok, true);
    assert.match(r.lints.join(' '), /no authorityKeyIdentifier/);
  });

  test('serial numbers: zero, negative and longer than 20 octets are refused', async () => {
    for (const [serial, why] of [
      [Buffer.from([0]), /zero/],
      [Buffer.from([0xff, 0x01]), /negative/],
      [Buffer.concat([Buffer.from([0x01]), Buffer.alloc(20, 0x22)]), /21 octets/],
    ] as const) {
      const c = webChain('www.example.test', { leaf: { serial } });
      const r = await verdict(c.leafDer, [c.icaDer], [c.rootDer]);
      assert.equal(r.ok, false);
      assert.match(r.problems.join(' '), why);
    }
    const twenty = webChain('www.example.test', {
      leaf: { serial: Buffer.concat([Buffer.from([0x7f]), Buffer.alloc(19, 1)]) },
    });
    assert.equal((await verdict(twenty.leafDer, [twenty.icaDer], [twenty.rootDer])).ok, true);
  });

  test('a malformed extension is listed and refuses the path; the rest of the certificate still reads', async () => {
    const base = webChain();
    const bad = rebuild(base, 'leaf', [
      ...leafExtensions('www.example.test', base.ica).filter((e) => e.oid !== '2.5.29.17'),
      ext('2.5.29.17', Buffer.from('example.com')),
    ]);
    const leaf = info(bad.leafDer);
    assert.deepEqual(leaf.malformedExtensions, ['2.5.29.17']);
    assert.equal(leaf.commonName, 'www.example.test');
    assert.match(
      (await verdict(bad.leafDer, [bad.icaDer], [bad.rootDer])).problems.join(' '),
      /malformed subjectAltName/,
    );
  });

  test('empty subject needs a critical SAN; empty issuer is refused', async () => {
    const base = webChain();
    const empty = rebuild(
      base,
      'leaf',
      [
        ...leafExtensions('www.example.test', base.ica).filter((e) => e.oid !== '2.5.29.17'),
        EXT.san([dns('www.example.test')], true),
      ],
      { subject: name([]) },
    );
    assert.equal(info(empty.leafDer).commonName, null);
    assert.deepEqual(await verdict(empty.leafDer, [empty.icaDer], [empty.rootDer]), {
      ok: true,
      problems: [],
    });
    const nonCritical = rebuild(base, 'leaf', leafExtensions('www.example.test', base.ica), {
      subject: name([]),
    });
    assert.match(
      (await verdict(nonCritical.leafDer, [nonCritical.icaDer], [nonCritical.rootDer])).problems.join(' '),
      /empty subject/,
    );
  });
});

describe('path validation: purpose, keys, CA rules', () => {
  test('server certificates need serverAuth in their EKU, without anyExtendedKeyUsage', () => {
    const base = webChain();
    const withEku = (eku: ReturnType<typeof EXT.eku> | null) =>
      info(
        rebuild(base, 'leaf', [
          ...leafExtensions('www.example.test', base.ica).filter((e) => e.oid !== '2.5.29.37'),
          ...(eku ? [eku] : []),
        ]).leafDer,
      );
    assert.equal(serverAuthProblem(info(base.leafDer)), null);
    assert.match(serverAuthProblem(withEku(null)) ?? '', /no extended key usage/);
    assert.match(serverAuthProblem(withEku(EXT.eku(['2.5.29.37.0']))) ?? '', /anyExtendedKeyUsage/);
    assert.match(
      serverAuthProblem(withEku(EXT.eku([SERVER_AUTH, '2.5.29.37.0']))) ?? '',
      /anyExtendedKeyUsage/,
    );
    assert.match(
      serverAuthProblem(withEku(EXT.eku(['1.3.6.1.5.5.7.3.2']))) ?? '',
      /does not include serverAuth/,
    );
    assert.match(serverAuthProblem(withEku(EXT.eku([SERVER_AUTH], true))) ?? '', /critical/);
  });

  test('an intermediate whose EKU leaves out serverAuth refuses the path (as Chrome does)', async () => {
    const base = webChain();
    const c = rebuild(base, 'ica', [...caExtensions(base.ica, base.root, 0), EXT.eku(['1.3.6.1.5.5.7.3.2'])]);
    assert.match(
      (await verdict(c.leafDer, [c.icaDer], [c.rootDer])).problems.join(' '),
      /without serverAuth/,
    );
  });

  test('P-192 keys are refused: on the leaf by the key check, on a CA by the path', async () => {
    const weakLeaf = party(name([['CN', 'weak']]), 'prime192v1');
    assert.match(
      leafKeyProblem(info(buildCert({ subject: weakLeaf.name, subjectKey: weakLeaf.publicKey }, weakLeaf))) ??
        '',
      /prime192v1/,
    );
    const root = party(name([['CN', 'P-192 root']]), 'prime192v1');
    const rootDer = buildCert(
      { subject: root.name, subjectKey: root.publicKey, extensions: rootExtensions(root) },
      root,
    );
    const leaf = party(name([['CN', 'a.example.test']]));
    const leafDer = buildCert(
      { subject: leaf.name, subjectKey: leaf.publicKey, extensions: leafExtensions('a.example.test', root) },
      root,
    );
    assert.match((await verdict(leafDer, [], [rootDer])).problems.join(' '), /only P-256, P-384 and P-521/);
  });

  test('a CA certificate as the leaf, and a leaf with keyCertSign, are refused', async () => {
    const base = webChain();
    const ca = rebuild(base, 'leaf', [
      EXT.basicConstraints(true),
      EXT.keyUsage(KU.keyCertSign),
      EXT.eku([SERVER_AUTH]),
      EXT.san([dns('www.example.test')]),
      EXT.aki(base.ica.keyId),
    ]);
    assert.match(
      (await verdict(ca.leafDer, [ca.icaDer], [ca.rootDer])).problems.join(' '),
      /not a server certificate/,
    );
  });

  test('pathLenConstraint counts intermediates, not self-issued ones', async () => {
    const root = party(name([['CN', 'PL Root']]));
    const ica = party(name([['CN', 'PL CA']]));
    const ica2 = party(name([['CN', 'PL CA']])); // same name, new key: a self-issued rollover
    const rootDer = buildCert(
      { subject: root.name, subjectKey: root.publicKey, extensions: rootExtensions(root) },
      root,
    );
    const icaDer = buildCert(
      { subject: ica.name, subjectKey: ica.publicKey, extensions: caExtensions(ica, root, 0) },
      root,
    );
    const rollDer = buildCert(
      { subject: ica2.name, subjectKey: ica2.publicKey, extensions: caExtensions(ica2, ica, 0) },
      ica,
    );
    const leaf = party(name([['CN', 'pl.example.test']]));
    const leafDer = buildCert(
      { subject: leaf.name, subjectKey: leaf.publicKey, extensions: leafExtensions('pl.example.test', ica2) },
      ica2,
    );
    assert.deepEqual(await verdict(leafDer, [icaDer, rollDer], [rootDer]), { ok: true, problems: [] });
  });
});

describe('trust anchors', () => {
  test("every root in Node's bundled Mozilla store passes the anchor rules (no real chain is refused)", () => {
    const roots = mozillaRoots();
    assert.ok(roots.length > 100);
    const refused = roots.map((c) => anchorProblems(c, true).join(' ')).filter((p) => p !== '');
    assert.deepEqual(refused, []);
    // The same shapes from an admin-added root are held to the profile.
    const quoVadis = roots.find((r) => r.authorityKeyId?.hasIssuer) as CertInfo;
    assert.match(anchorProblems({ ...quoVadis, builtInRoot: false }).join(' '), /issuer and serial/);
  });

  test('host names: wildcards cover one label, IP SANs by address', () => {
    const base = webChain();
    const c = rebuild(base, 'leaf', [
      ...leafExtensions('www.example.test', base.ica).filter((e) => e.oid !== '2.5.29.17'),
      EXT.san([dns('*.example.test'), ip([0x20, 0x01, 0x0d, 0xb8, ...Array(11).fill(0), 1])]),
    ]);
    const leaf = info(c.leafDer);
    assert.equal(coversHost(leaf, 'a.example.test'), true);
    assert.equal(coversHost(leaf, 'a.b.example.test'), false);
    assert.equal(coversHost(leaf, '2001:DB8::1'), true);
    assert.equal(coversHost(leaf, '2001:db8::2'), false);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { rebuild, verdict } from '../support/chain-verdict.js';
import {
  buildCert,
  dirName,
  dns,
  EXT,
  email,
  ip,
  leafExtensions,
  name,
  party,
  rootExtensions,
  SERVER_AUTH,
  uri,
  webChain,
} from '../support/der-builder.js';

// RFC 5280 §4.2.1.10 name constraints of every form, through the path builder (name-constraints.ts).

/** A root with name constraints, and a leaf under it with the given SANs / subject. */
function constrained(nc: ReturnType<typeof EXT.nameConstraints>, sans: Buffer[], subject?: Buffer) {
  const root = party(name([['CN', 'NC Root']]));
  const rootDer = buildCert(
    { subject: root.name, subjectKey: root.publicKey, extensions: [...rootExtensions(root), nc] },
    root,
  );
  const leaf = party(subject ?? name([['CN', 'leaf']]));
  const leafDer = buildCert(
    {
      subject: leaf.name,
      subjectKey: leaf.publicKey,
      extensions: [EXT.eku([SERVER_AUTH]), EXT.san(sans), EXT.aki(root.keyId)],
    },
    root,
  );
  return { leafDer, rootDer };
}

async function ncVerdict(nc: ReturnType<typeof EXT.nameConstraints>, sans: Buffer[], subject?: Buffer) {
  const { leafDer, rootDer } = constrained(nc, sans, subject);
  return verdict(leafDer, [], [rootDer]);
}

describe('name constraints', () => {
  test('DNS: permitted subtree covers the name and its subdomains; excluded wins', async () => {
    assert.equal(
      (await ncVerdict(EXT.nameConstraints([dns('example.com')], []), [dns('a.b.example.com')])).ok,
      true,
    );
    assert.equal(
      (await ncVerdict(EXT.nameConstraints([dns('example.com')], []), [dns('notexample.com')])).ok,
      false,
    );
    const both = await ncVerdict(EXT.nameConstraints([dns('example.com')], [dns('bad.example.com')]), [
      dns('x.bad.example.com'),
    ]);
    assert.match(both.problems.join(' '), /excluded subtree DNS:bad\.example\.com/);
  });

  test('a wildcard SAN that could reach an excluded name is refused (CVE-2025-61727)', async () => {
    const r = await ncVerdict(EXT.nameConstraints([], [dns('bar.example.com')]), [dns('*.example.com')]);
    assert.equal(r.ok, false);
    assert.equal(
      (await ncVerdict(EXT.nameConstraints([dns('example.com')], []), [dns('*.example.com')])).ok,
      true,
    );
  });

  test('malformed DNS constraints (leading period, wildcard) are refused', async () => {
    for (const bad of ['.example.com', '*.example.com']) {
      const r = await ncVerdict(EXT.nameConstraints([dns(bad)], []), [dns('a.example.com')]);
      assert.match(r.problems.join(' '), /malformed name constraint/);
    }
  });

  test('IP: IPv4 and IPv6 masks, and a non-CIDR mask is malformed', async () => {
    const v4 = EXT.nameConstraints([ip([192, 0, 2, 0, 255, 255, 255, 0])], []);
    assert.equal((await ncVerdict(v4, [ip([192, 0, 2, 77])])).ok, true);
    assert.equal((await ncVerdict(v4, [ip([192, 0, 3, 1])])).ok, false);
    const v6base = [0x20, 0x01, 0x0d, 0xb8, ...Array(12).fill(0)];
    const v6mask = [...Array(4).fill(0xff), ...Array(12).fill(0)];
    const v6 = EXT.nameConstraints([], [ip([...v6base, ...v6mask])]);
    assert.equal((await ncVerdict(v6, [ip([0x20, 0x01, 0x0d, 0xb8, ...Array(11).fill(0), 1])])).ok, false);
    assert.equal((await ncVerdict(v6, [ip([0x20, 0x01, 0x0d, 0xb9, ...Array(11).fill(0), 1])])).ok, true);
    assert.equal(
      (await ncVerdict(v6, [ip([192, 0, 2, 1])])).ok,
      true,
      'an IPv4 name is not in an IPv6 subtree',
    );
    const holes = EXT.nameConstraints([ip([10, 0, 0, 0, 255, 0, 255, 0])], []);
    assert.match((await ncVerdict(holes, [ip([10, 1, 1, 1])])).problems.join(' '), /not a CIDR prefix/);
  });

  test('directoryName constrains the subject DN', async () => {
    const base = name([
      ['C', 'US'],
      ['O', 'Corp'],
    ]);
    const nc = EXT.nameConstraints([dirName(base)], []);
    assert.equal(
      (
        await ncVerdict(
          nc,
          [dns('a.test')],
          name([
            ['C', 'US'],
            ['O', 'corp'],
            ['CN', 'a'],
          ]),
        )
      ).ok,
      true,
    );
    assert.equal(
      (
        await ncVerdict(
          nc,
          [dns('a.test')],
          name([
            ['C', 'US'],
            ['O', 'Other'],
            ['CN', 'a'],
          ]),
        )
      ).ok,
      false,
    );
  });

  test('rfc822Name: mailbox, host and subdomain forms', async () => {
    assert.equal(
      (await ncVerdict(EXT.nameConstraints([email('example.com')], []), [email('a@example.com')])).ok,
      true,
    );
    assert.equal(
      (await ncVerdict(EXT.nameConstraints([email('example.com')], []), [email('a@sub.example.com')])).ok,
      false,
    );
    assert.equal(
      (await ncVerdict(EXT.nameConstraints([email('.example.com')], []), [email('a@sub.example.com')])).ok,
      true,
    );
    assert.equal(
      (await ncVerdict(EXT.nameConstraints([], [email('boss@example.com')]), [email('boss@EXAMPLE.com')])).ok,
      false,
    );
  });

  test('URI: host of the URI against the host or domain constraint', async () => {
    const nc = EXT.nameConstraints([uri('.example.com')], []);
    assert.equal((await ncVerdict(nc, [uri('https://www.example.com/x')])).ok, true);
    assert.equal((await ncVerdict(nc, [uri('https://example.org/')])).ok, false);
    assert.equal((await ncVerdict(nc, [uri('urn:isbn:123')])).ok, false, 'no host to check: refused');
  });

  test('name constraints on a leaf are refused', async () => {
    const base = webChain();
    const c = rebuild(base, 'leaf', [
      ...leafExtensions('www.example.test', base.ica),
      EXT.nameConstraints([dns('example.test')], []),
    ]);
    assert.match(
      (await verdict(c.leafDer, [c.icaDer], [c.rootDer])).problems.join(' '),
      /only a CA certificate/,
    );
  });
});

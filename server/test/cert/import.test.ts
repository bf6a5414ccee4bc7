import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import tls from 'node:tls';
import { errorStatus } from '@certdesk/shared/errors';
import { AIA_FETCH_FAILED_NOTE } from '../../src/cert/aia.js';
import type { UploadedFile } from '../../src/cert/detect.js';
import { CertError } from '../../src/cert/errors.js';
import { analyzeImport, type ImportDeps, type ImportInput } from '../../src/cert/import.js';
import { nameCovered } from '../../src/cert/report.js';
import { mozillaRootCount, TrustStore } from '../../src/cert/trust-store.js';
import { type CertInfo, certInfo } from '../../src/cert/x509-info.js';
import { cryptoPool } from '../../src/compute/crypto-pool.js';
import { createAiaFetcher } from '../../src/net/aia-fetcher.js';
import { withPfxIterations } from '../support/kdf-params.js';
import { type Issued, TestPki } from '../support/pki.js';

const pki = new TestPki();
let root: Issued;
let ica: Issued;
let ica2: Issued;

function deps(over: Partial<ImportDeps> = {}, anchors: Issued[] = [root]): ImportDeps {
  return {
    kdf: cryptoPool(),
    storedIntermediates: () => [],
    enterpriseAnchors: () => anchors.map((a) => certInfo(a.certDer, 'anchor')),
    findStoredKey: () => null,
    serverNames: [],
    fetcher: null,
    includeMozilla: false,
    ...over,
  };
}
const f = (name: string, data: string | Buffer, role: UploadedFile['role'] = 'file'): UploadedFile => ({
  name,
  data: Buffer.from(data),
  role,
});
const run = (files: UploadedFile[], over: Partial<ImportInput> = {}, d = deps()) =>
  analyzeImport({ files, password: '', chainMode: 'auto', ...over }, d);
const status = (a: Awaited<ReturnType<typeof run>>, id: string) =>
  a.report.checks.find((c) => c.id === id)?.status;
const cns = (a: Awaited<ReturnType<typeof run>>) => a.chain.chain.map((c) => c.commonName);

async function rejects(p: Promise<unknown>, code: string): Promise<CertError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof CertError, `expected CertError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    const status = errorStatus(err.code, err.inRequest);
    assert.ok(status >= 400 && status < 500);
    return err;
  }
  assert.fail(`expected ${code}`);
}

before(() => {
  root = pki.root('Root CA');
  ica = pki.intermediate('Issuing CA 1', root, { key: 'rsa2048' });
  ica2 = pki.intermediate('Issuing CA 2', ica);
});
after(() => pki.cleanup());

describe('formats', () => {
  test('PEM bundle in any order, DER certificate, p7b PEM and DER', async () => {
    const leaf = pki.leaf('a.example.test', ica2);
    for (const order of [
      [leaf, ica2, ica],
      [ica, leaf, ica2],
      [ica2, ica, leaf],
    ]) {
      const a = await run([f('bundle.pem', order.map((c) => c.certPem).join('\n'))]);
      assert.deepEqual(cns(a), ['Issuing CA 2', 'Issuing CA 1']);
      assert.equal(status(a, 'chain'), 'pass');
      assert.equal(a.leaf.commonName, 'a.example.test');
    }
    const der = await run([f('leaf.cer', leaf.certDer), f('i1.der', ica.certDer), f('i2.der', ica2.certDer)]);
    assert.equal(status(der, 'chain'), 'pass');
    for (const asDer of [false, true]) {
      const a = await run([f('chain.p7b', pki.p7b([ica, leaf, root, ica2], asDer))]);
      assert.deepEqual(cns(a), ['Issuing CA 2', 'Issuing CA 1']);
      assert.equal(a.report.dropped.length, 1, 'the root is dropped');
      assert.match(a.report.dropped[0]!.reason, /Root certificate/);
    }
  });

  test('private keys: PKCS#8, PKCS#1/SEC1, encrypted, DER', async () => {
    const rsa = pki.leaf('rsa.example.test', ica, { key: 'rsa2048' });
    const ec = pki.leaf('ec.example.test', ica, { key: 'ec384' });
    for (const leaf of [rsa, ec]) {
      for (const [fmt, pass, der] of [
        ['pkcs8', undefined, false],
        ['traditional', undefined, false],
        ['pkcs8', 'pw', false],
        ['pkcs8', undefined, true],
        ['traditional', undefined, true],
      ] as const) {
        const a = await run(
          [f('c.pem', leaf.certPem), f('k', pki.keyAs(leaf, fmt, pass, der)), f('i.pem', ica.certPem)],
          { password: pass ?? '' },
        );
        assert.equal(status(a, 'key-match'), 'pass', `${leaf.name} ${fmt} ${pass} ${der}`);
        assert.ok(a.key);
      }
    }
    await rejects(
      run([f('c.pem', ec.certPem), f('k.pem', pki.keyAs(ec, 'pkcs8', 'pw'))]),
      'KEY_PASSPHRASE_REQUIRED',
    );
    await rejects(
      run([f('c.pem', ec.certPem), f('k.pem', pki.keyAs(ec, 'pkcs8', 'pw'))], { password: 'nope' }),
      'WRONG_PASSWORD',
    );
  });

  test('PKCS#12: modern, 3DES, RC2-40, no MAC; empty and non-ASCII passwords; friendly name; RSA and EC', async () => {
    const ecLeaf = pki.leaf('pfx-ec.example.test', ica);
    const rsaLeaf = pki.leaf('pfx-rsa.example.test', ica2, { key: 'rsa2048' });
    for (const mode of ['modern', '3des', 'rc2', 'nomac'] as const) {
      for (const pw of ['s3cret', '', 'pässwörd€']) {
        for (const leaf of [ecLeaf, rsaLeaf]) {
          const chain = leaf === ecLeaf ? [ica, root] : [ica2, ica, root];
          const a = await run([f('x.pfx', pki.pfx(leaf, chain, pw, mode, 'Friendly Name'))], {
            password: pw,
          });
          assert.equal(status(a, 'key-match'), 'pass', `${mode} ${pw}`);
          assert.equal(status(a, 'chain'), 'pass', `${mode} ${pw}`);
          assert.equal(a.name, 'Friendly Name');
        }
      }
    }
    const pfx = pki.pfx(ecLeaf, [ica], 'right', 'modern');
    const err = await rejects(run([f('x.pfx', pfx)], { password: 'wrong' }), 'WRONG_PASSWORD');
    assert.equal(errorStatus(err.code, err.inRequest), 422);
    await rejects(
      run([f('x.pfx', pki.pfx(ecLeaf, [ica], 'right', '3des'))], { password: 'wrong' }),
      'WRONG_PASSWORD',
    );
    await rejects(run([f('x.pfx', pfx)]), 'WRONG_PASSWORD');
  });

  test('a PFX without a key takes its key from another uploaded file or a stored key', async () => {
    const leaf = pki.leaf('nokey.example.test', ica);
    const pfx = pki.pfx(leaf, [ica], 'pw', 'nokey');
    const a = await run([f('x.pfx', pfx), f('server.key', leaf.keyPem)], { password: 'pw' });
    assert.equal(status(a, 'key-match'), 'pass');
    const b = await run(
      [f('x.pfx', pfx)],
      { password: 'pw' },
      deps({ findStoredKey: () => ({ keyId: 7, csrId: 3 }) }),
    );
    assert.equal(b.storedKeyId, 7);
    assert.equal(b.csrId, 3);
    const c = await run([f('x.pfx', pfx)], { password: 'pw' });
    assert.equal(status(c, 'key-match'), 'warn', 'no key at all: pending key, not blocked');
    assert.equal(c.report.blocked, false);
  });

  test('files that are not certificates say what they look like', async () => {
    const leaf = pki.leaf('csr.example.test', ica);
    const csr = pki.openssl([
      'req',
      '-new',
      '-key',
      leaf.keyPath,
      '-subj',
      '/CN=x',
      '-config',
      pki.file('ca.cnf'),
    ]);
    const csrDer = pki.openssl(['req', '-in', '-', '-outform', 'DER'], csr);
    const pub = pki.openssl(['pkey', '-in', leaf.keyPath, '-pubout']);
    const cases: [string, string | Buffer, RegExp][] = [
      ['empty.crt', '', /empty/],
      ['server.csr', csr, /certificate signing request \(CSR\)/],
      ['server.der', csrDer, /certificate signing request \(CSR\)/],
      ['pub.pem', pub, /public key/],
      ['id_rsa.pub', 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH me@host\n', /SSH public key/],
      ['cert.json', '{"certificate": "x"}', /JSON/],
      ['cert.html', '<!doctype html><html></html>', /HTML/],
      ['notes.txt', 'hello, this is my certificate\n', /plain text/],
      ['random.bin', Buffer.from([0x01, 0x02, 0xff, 0x00, 0x10]), /binary data/],
      ['cut.pem', leaf.certPem.slice(0, 200), /cut off/],
    ];
    for (const [name, data, re] of cases) {
      const err = await rejects(run([f(name, data)]), 'UNRECOGNIZED_FILE');
      assert.match(err.message, re, name);
      assert.match(err.message, new RegExp(`^${name.replace('.', '\\.')}:`));
    }
    await rejects(run([f('k.pem', leaf.keyPem)]), 'NO_CERTIFICATE');
  });

  test('more certificates than an upload may hold: refused before they are read, in one file or in all', async () => {
    const leaf = pki.leaf('many.example.test', ica);
    const many = (n: number) => Array.from({ length: n }, () => ica.certPem).join('');
    const one = await rejects(run([f('bundle.pem', leaf.certPem + many(300))]), 'TOO_MANY_CERTIFICATES');
    assert.match(one.message, /^bundle\.pem holds 301 certificates; certdesk reads at most 300/);
    const all = await rejects(
      run([f('leaf.pem', leaf.certPem), f('a.pem', many(150)), f('b.pem', many(150))]),
      'TOO_MANY_CERTIFICATES',
    );
    assert.match(all.message, /The upload holds 301 certificates/);
    // 300 is still read (a leaf and a long chain of repeats: the report says what it makes of them).
    await run([f('bundle.pem', leaf.certPem + many(299))]);
  });

  test('a binary file cut short says so and what it starts like, not "not a private key"', async () => {
    const leaf = pki.leaf('cut-der.example.test', ica);
    const pfx = pki.pfx(leaf, [ica], 'pw', 'modern');
    const cases: [string, Buffer, string, RegExp][] = [
      ['cut.der', leaf.certDer.subarray(0, leaf.certDer.length - 1), 'CERTIFICATE_DAMAGED', /a certificate/],
      ['cut.pfx', pfx.subarray(0, Math.floor(pfx.length / 2)), 'PFX_DAMAGED', /a PFX/],
    ];
    for (const [name, data, code, re] of cases) {
      const err = await rejects(run([f(name, data)], { password: 'pw' }), code);
      assert.match(err.message, new RegExp(`^${name.replace('.', '\\.')} is cut off`), name);
      assert.match(err.message, re, name);
      assert.match(err.message, new RegExp(`the file has ${data.length}\\.`), name);
    }
  });
});

describe('chains', () => {
  test('EC leaf under an RSA intermediate; manual mode orders intermediates in any order', async () => {
    const leaf = pki.leaf('manual.example.test', ica2, { key: 'ec256' });
    for (const ints of [
      [ica, ica2],
      [ica2, ica],
      [ica, root, ica2, ica],
    ]) {
      const a = await run([f('c.pem', leaf.certPem)], {
        chainMode: 'manual',
        files: [f('c.pem', leaf.certPem), ...ints.map((i, n) => f(`i${n}.pem`, i.certPem, 'intermediate'))],
      });
      assert.deepEqual(cns(a), ['Issuing CA 2', 'Issuing CA 1']);
      assert.equal(status(a, 'chain'), 'pass');
    }
    const dup = await run([], {
      chainMode: 'manual',
      files: [
        f('c.pem', leaf.certPem),
        f('a.pem', ica.certPem, 'intermediate'),
        f('b.pem', ica2.certPem, 'intermediate'),
        f('a2.pem', ica.certPem, 'intermediate'),
      ],
    });
    assert.ok(dup.report.dropped.some((d) => /Duplicate/.test(d.reason)));
    const missing = await run([], {
      chainMode: 'manual',
      files: [f('c.pem', leaf.certPem), f('b.pem', ica2.certPem, 'intermediate')],
    });
    assert.equal(status(missing, 'chain'), 'fail');
    assert.match(missing.report.checks.find((c) => c.id === 'chain')!.message, /Issuing CA 1/);
  });

  test('unrelated certificates are dropped; stored intermediates complete an automatic chain', async () => {
    const other = pki.root('Other Root');
    const leaf = pki.leaf('stored.example.test', ica2);
    const a = await run(
      [f('c.pem', leaf.certPem + other.certPem)],
      {},
      deps({
        storedIntermediates: () => [certInfo(ica.certDer, 'stored'), certInfo(ica2.certDer, 'stored')],
      }),
    );
    assert.deepEqual(cns(a), ['Issuing CA 2', 'Issuing CA 1']);
    assert.equal(a.report.dropped.length, 1);
    const manual = await run(
      [f('c.pem', leaf.certPem)],
      { chainMode: 'manual' },
      deps({ storedIntermediates: () => [certInfo(ica.certDer, 's')] }),
    );
    assert.equal(status(manual, 'chain'), 'fail', 'manual mode uses only the uploaded intermediates');
  });

  test('missing intermediates are fetched through AIA (two hops, DER and PKCS#7) from a local HTTP server', async () => {
    const served = new Map<string, Buffer>();
    const server = http.createServer((req, res) => {
      const body = served.get(req.url ?? '');
      if (!body) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/pkix-cert' }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const base = `http://127.0.0.1:${port}`;
    // A CA inside the network: the admin allowed private addresses and this port.
    const fetcher = createAiaFetcher({ allowPrivate: true, ports: [port], ownPorts: () => [] });
    try {
      const aiaRoot = pki.root('AIA Root');
      const i1 = pki.intermediate('AIA CA 1', aiaRoot, {
        extra: [`authorityInfoAccess=caIssuers;URI:${base}/root.crt`],
      });
      const i2 = pki.intermediate('AIA CA 2', i1, {
        extra: [`authorityInfoAccess=caIssuers;URI:${base}/i1.p7c`],
      });
      const leaf = pki.leaf('aia.example.test', i2, {
        extra: [`authorityInfoAccess=caIssuers;URI:${base}/i2.cer`],
      });
      served.set('/i2.cer', i2.certDer);
      served.set('/i1.p7c', pki.p7b([i1], true));
      served.set('/root.crt', aiaRoot.certDer);
      const a = await run([f('c.pem', leaf.certPem)], {}, deps({ fetcher }, [aiaRoot]));
      assert.deepEqual(cns(a), ['AIA CA 2', 'AIA CA 1']);
      assert.equal(status(a, 'chain'), 'pass');
      assert.ok(a.chain.fetched.length === 2);
      served.delete('/i1.p7c');
      const b = await run([f('c.pem', leaf.certPem)], {}, deps({ fetcher }, [aiaRoot]));
      assert.equal(status(b, 'chain'), 'fail');
      assert.ok(b.report.notes.includes(AIA_FETCH_FAILED_NOTE), 'one neutral note, no status code');
      assert.ok(!b.report.notes.some((n) => /404/.test(n)));
    } finally {
      server.close();
    }
  });

  test('cross-signed: picks the valid path among issuers with the same subject', async () => {
    const oldRoot = pki.root('Old Root');
    const newRoot = pki.root('New Root');
    const xNew = pki.intermediate('Cross CA', newRoot, { key: 'ec256' });
    const xOld = pki.intermediate('Cross CA', oldRoot, { keyFrom: xNew });
    const xOldExpired = pki.intermediate('Cross CA', newRoot, {
      keyFrom: xNew,
      startDays: -400,
      endDays: -10,
    });
    const leaf = pki.leaf('cross.example.test', xNew);
    // Only New Root trusted: the path through the Old Root version must be skipped.
    const a = await run(
      [f('b.pem', [leaf, xOld, xOldExpired, xNew].map((c) => c.certPem).join(''))],
      {},
      deps({}, [newRoot]),
    );
    assert.equal(status(a, 'chain'), 'pass');
    assert.equal(a.chain.chain[0]!.fingerprint, certInfo(xNew.certDer, '').fingerprint);
    assert.equal(a.chain.anchor?.commonName, 'New Root');
    // Only Old Root trusted: the other cross-signed copy is used.
    const b = await run(
      [f('b.pem', [leaf, xNew, xOld].map((c) => c.certPem).join(''))],
      {},
      deps({}, [oldRoot]),
    );
    assert.equal(status(b, 'chain'), 'pass');
    assert.equal(b.chain.anchor?.commonName, 'Old Root');
  });

  test('expired intermediate, CA:FALSE intermediate, pathlen and name constraints fail the chain', async () => {
    const expired = pki.intermediate('Expired CA', root, { startDays: -800, endDays: -1 });
    const l1 = pki.leaf('e.example.test', expired);
    const a = await run([f('c.pem', l1.certPem + expired.certPem)]);
    assert.equal(status(a, 'chain'), 'fail');
    assert.match(a.report.checks.find((c) => c.id === 'chain')!.message, /expired/);

    const notCa = pki.intermediate('Not A CA', root, {
      ext: ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,keyCertSign,digitalSignature'],
    });
    const l2 = pki.leaf('nonca.example.test', notCa);
    const b = await run([f('c.pem', l2.certPem + notCa.certPem)]);
    assert.equal(status(b, 'chain'), 'fail');
    assert.match(b.report.checks.find((c) => c.id === 'chain')!.message, /not a CA/);
    assert.equal(b.report.blocked, true);

    const zero = pki.intermediate('Pathlen0 CA', root, { pathLen: 0 });
    const sub = pki.intermediate('Sub CA', zero);
    const l3 = pki.leaf('pl.example.test', sub);
    const c = await run([f('c.pem', l3.certPem + sub.certPem + zero.certPem)]);
    assert.equal(status(c, 'chain'), 'fail');
    assert.match(c.report.checks.find((x) => x.id === 'chain')!.message, /pathLenConstraint/);

    const nc = pki.intermediate('Constrained CA', root, {
      extra: ['nameConstraints=critical,permitted;DNS:corp.example'],
    });
    const ok = pki.leaf('www.corp.example', nc);
    const bad = pki.leaf('www.evil.test', nc);
    assert.equal(status(await run([f('c.pem', ok.certPem + nc.certPem)]), 'chain'), 'pass');
    const d = await run([f('c.pem', bad.certPem + nc.certPem)]);
    assert.equal(status(d, 'chain'), 'fail');
    assert.match(
      d.report.checks.find((x) => x.id === 'chain')!.message,
      /does not allow the name "www.evil.test"/,
    );
  });
});

describe('trust store', () => {
  test("Node's bundled Mozilla roots are anchors, found by issuer name; enterprise anchors come first", () => {
    assert.ok(mozillaRootCount() > 100);
    const mozillaRoot = certInfo(new X509Certificate(tls.rootCertificates[0] as string).raw, 'test');
    const withMozilla = TrustStore.withMozilla([]);
    assert.equal(withMozilla.isAnchor(mozillaRoot), true);
    assert.ok(withMozilla.candidatesFor(mozillaRoot).some((c) => c.fingerprint === mozillaRoot.fingerprint));
    assert.equal(new TrustStore([]).isAnchor(mozillaRoot), false, 'tests can leave the Mozilla roots out');
    const own = certInfo(root.certDer, 'enterprise');
    assert.deepEqual(
      TrustStore.withMozilla([own])
        .candidatesFor(own)
        .map((c) => c.fingerprint),
      [own.fingerprint],
    );
  });
});

describe('limits', () => {
  test('a PFX asking for an absurd key derivation is refused before any derivation runs', async () => {
    const leaf = pki.leaf('costly.example.test', ica);
    const pfx = pki.pfx(leaf, [ica], 'pw', 'modern');
    const before = cryptoPool().stats().started;
    const absurd = await rejects(
      run([f('costly.pfx', withPfxIterations(pfx, { encryption: 100_000_000 }))], { password: 'pw' }),
      'KDF_TOO_COSTLY',
    );
    assert.match(absurd.message, /PBKDF2 iterations = 100,000,000/);
    assert.match(absurd.message, /limit is 10,000,000/);
    const mac = await rejects(
      run([f('costly.pfx', withPfxIterations(pfx, { mac: 5_000_000 }))], { password: 'pw' }),
      'KDF_TOO_COSTLY',
    );
    assert.match(mac.message, /MAC iterations = 5,000,000/);
    // Each step under its own limit, the whole file over the per-file budget.
    const sum = await rejects(
      run([f('costly.pfx', withPfxIterations(pfx, { encryption: 9_500_000, mac: 2_000_000 }))], {
        password: 'pw',
      }),
      'PFX_TOO_COSTLY',
    );
    assert.match(sum.message, /21,000,000 key-derivation iterations in all/);
    assert.match(sum.message, /up to 20,000,000/);
    assert.equal(cryptoPool().stats().started, before, 'no derivation was started');
  });

  test('AIA: a server that never answers times out, an oversized answer is cut off; both become the neutral note', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const server = http.createServer((req, res) => {
      if (req.url === '/big') {
        res.writeHead(200);
        res.write(Buffer.alloc(1024 * 1024 + 100, 0x30));
        res.end();
      }
      // '/hang': never answers.
    });
    server.on('connection', (s) => sockets.add(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const base = `http://127.0.0.1:${port}`;
    try {
      const lost = pki.intermediate('Lost CA', root);
      const hang = pki.leaf('hang.example.test', lost, {
        extra: [`authorityInfoAccess=caIssuers;URI:${base}/hang`],
      });
      const big = pki.leaf('big.example.test', lost, {
        extra: [`authorityInfoAccess=caIssuers;URI:${base}/big`],
      });
      const ftp = pki.leaf('ftp.example.test', lost, {
        extra: ['authorityInfoAccess=caIssuers;URI:ftp://127.0.0.1/ca.crt'],
      });
      const fetcher = createAiaFetcher({
        allowPrivate: true,
        ports: [port],
        ownPorts: () => [],
        timeoutMs: 300,
        maxBytes: 1024 * 1024,
      });
      const a = await run([f('c.pem', hang.certPem)], {}, deps({ fetcher }));
      assert.equal(status(a, 'chain'), 'fail');
      assert.ok(a.report.notes.includes(AIA_FETCH_FAILED_NOTE), a.report.notes.join(' '));
      const b = await run([f('c.pem', big.certPem)], {}, deps({ fetcher }));
      assert.ok(b.report.notes.includes(AIA_FETCH_FAILED_NOTE), b.report.notes.join(' '));
      const c = await run([f('c.pem', ftp.certPem)], {}, deps({ fetcher }));
      assert.ok(c.report.notes.includes(AIA_FETCH_FAILED_NOTE), c.report.notes.join(' '));
    } finally {
      for (const s of sockets) s.destroy();
      server.close();
    }
  });
});

describe('report', () => {
  test('expired, not yet valid, long validity, weak key, SHA-1, EKU, names, self-signed', async () => {
    const exp = await run([
      f('c', pki.leaf('old.example.test', ica, { startDays: -100, endDays: -1 }).certPem + ica.certPem),
    ]);
    assert.equal(status(exp, 'not-expired'), 'fail');
    const nyv = await run([
      f('c', pki.leaf('new.example.test', ica, { startDays: 5, endDays: 50 }).certPem + ica.certPem),
    ]);
    assert.equal(status(nyv, 'not-yet-valid'), 'fail');
    const long = await run([
      f('c', pki.leaf('long.example.test', ica, { endDays: 800 }).certPem + ica.certPem),
    ]);
    assert.equal(status(long, 'validity-period'), 'warn');
    assert.equal(long.report.blocked, false);
    const weak = await run([
      f('c', pki.leaf('weak.example.test', ica, { key: 'rsa1024' }).certPem + ica.certPem),
    ]);
    assert.equal(status(weak, 'key-strength'), 'fail');
    const sha1 = await run([
      f('c', pki.leaf('sha1.example.test', ica, { md: 'sha1' }).certPem + ica.certPem),
    ]);
    assert.equal(status(sha1, 'signature-algorithm'), 'fail');
    assert.equal(sha1.report.blocked, true);
    const client = pki.leaf('client.example.test', ica, {
      ext: [
        'basicConstraints=CA:FALSE',
        'extendedKeyUsage=clientAuth',
        'subjectAltName=DNS:client.example.test',
      ],
    });
    const eku = await run([f('c', client.certPem + ica.certPem)]);
    assert.equal(status(eku, 'server-auth'), 'fail');
    const names = await run(
      [f('c', pki.leaf('w.example.test', ica, { sans: ['DNS:*.example.test'] }).certPem + ica.certPem)],
      {},
      deps({ serverNames: ['a.example.test', 'a.b.example.test'] }),
    );
    assert.equal(status(names, 'server-names'), 'warn');
    assert.match(names.report.checks.find((c) => c.id === 'server-names')!.message, /a\.b\.example\.test/);
    const self = pki.leaf('self.example.test', null);
    const s = await run([f('c', self.certPem), f('k', self.keyPem)]);
    assert.equal(status(s, 'self-signed'), 'warn');
    assert.equal(status(s, 'chain'), 'fail');
    assert.match(s.report.checks.find((c) => c.id === 'chain')!.message, /Trust anchors/);
    const trusted = await run([f('c', self.certPem), f('k', self.keyPem)], {}, deps({}, [self]));
    assert.equal(status(trusted, 'chain'), 'pass');
  });

  test('RFC 6125 wildcards cover exactly one label', () => {
    assert.equal(nameCovered('a.example.com', ['*.example.com']), true);
    assert.equal(nameCovered('a.b.example.com', ['*.example.com']), false);
    assert.equal(nameCovered('example.com', ['*.example.com']), false);
    assert.equal(nameCovered('EXAMPLE.com', ['example.com']), true);
    assert.equal(nameCovered('a.com', ['*.com']), false);
  });

  test('a key that belongs to another certificate is KEY_MISMATCH naming both', async () => {
    const leaf = pki.leaf('mismatch.example.test', ica);
    const other = pki.leaf('other.example.test', ica, { key: 'rsa2048' });
    const a = await run([f('cert.pem', leaf.certPem + ica.certPem), f('wrong.key', other.keyPem)]);
    assert.equal(status(a, 'key-match'), 'fail');
    const msg = a.report.checks.find((c) => c.id === 'key-match')!.message;
    assert.match(msg, /RSA 2048 from wrong\.key/);
    assert.match(msg, /mismatch\.example\.test \(serial [0-9A-F]+\)/);
  });
});

export type { CertInfo };

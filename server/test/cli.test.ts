import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto, { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setCliIo } from '../src/cli/common.js';
import { main } from '../src/cli.js';
import { createTestApp, login, multipart, type Session, type TestApp, tempDir } from './support/app.js';
import { type Issued, TestPki } from './support/pki.js';
import { insertCertificate } from './support/seed.js';

/**
 * `certdesk import | list | export | reset-https` against a real data directory that a running app
 * (createTestApp) also uses, as on a server: WAL lets both write. Runs go through `main([...])`
 * in-process with the streams swapped (setCliIo); cli-process.test.ts runs the commands as child
 * processes, from source (tsx) and through the real launcher bin/certdesk.js.
 */

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
  raw: Buffer;
}

/** Runs `certdesk <args>` in-process; stdin is what --*-stdin options read. */
async function cli(args: string[], stdin = ''): Promise<Ran> {
  const out: Buffer[] = [];
  const err: string[] = [];
  const restore = setCliIo({
    stdout: (c) => void out.push(Buffer.isBuffer(c) ? c : Buffer.from(c)),
    stderr: (c) => void err.push(c),
    stdin: async () => Buffer.from(stdin),
    stdoutIsTty: () => false,
  });
  try {
    const code = await main(args);
    const raw = Buffer.concat(out);
    return { code, stdout: raw.toString('utf8'), stderr: err.join(''), raw };
  } finally {
    restore();
  }
}

function openssl(args: string[], input?: Buffer | string, env?: NodeJS.ProcessEnv): string {
  return execFileSync('openssl', args, {
    input,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  }).toString('utf8');
}

const sha256 = (der: Buffer) => crypto.createHash('sha256').update(der).digest('hex').toUpperCase();

describe('certdesk CLI', () => {
  let app: TestApp;
  let close: () => Promise<void>;
  let dataDir: string;
  let s: Session;
  const pki = new TestPki();
  const work = tempDir('certdesk-cli-');
  let root: Issued;
  let ica: Issued;
  let leaf: Issued;
  let importedId: number;
  const savedEnv = { ...process.env };

  const count = (table: string) =>
    (app.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  const auditRows = (action: string) =>
    app.db
      .prepare('SELECT actor, target, details FROM audit_log WHERE action = ? ORDER BY id')
      .all(action) as {
      actor: string;
      target: string;
      details: string;
    }[];
  const file = (name: string, data: string | Buffer) => {
    const p = path.join(work, name);
    fs.writeFileSync(p, data);
    return p;
  };

  before(async () => {
    ({ app, close, dataDir } = await createTestApp());
    s = await login(app);
    root = pki.root('CLI Test Root CA');
    ica = pki.intermediate('CLI Test Issuing CA', root, { key: 'rsa2048' });
    leaf = pki.leaf('www.cli.example.test', ica, {
      sans: ['DNS:www.cli.example.test', 'DNS:cli.example.test'],
    });
    // The root becomes an enterprise trust anchor through the real route, as an operator would add it.
    const mp = multipart([{ name: 'file', filename: 'root.pem', data: root.certPem }]);
    const res = await app.inject({
      method: 'POST',
      url: '/api/trust-anchors',
      payload: mp.payload,
      headers: { ...s.headers, ...mp.headers },
    });
    assert.equal(res.statusCode, 201, res.body);
    process.env.CERTDESK_DATA_DIR = dataDir;
    process.env.CERTDESK_LOG_LEVEL = 'silent';
  });
  after(async () => {
    process.env = savedEnv;
    await close();
    pki.cleanup();
    fs.rmSync(work, { recursive: true, force: true });
  });

  test('import: PEM leaf + key + intermediate; dry run stores nothing, then imported with id, report and chain', async () => {
    const args = [
      file('cert.crt', leaf.certPem),
      file('server.key', leaf.keyPem),
      file('ca.crt', ica.certPem),
    ];
    const dry = await cli(['import', ...args, '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /Dry run/);
    assert.equal(count('certificates'), 0, 'a dry run stores nothing');

    const r = await cli(['import', ...args]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Pre-flight report:/);
    assert.match(r.stdout, /^ {2}PASS {2}Private key matches the certificate: /m);
    assert.match(r.stdout, /^ {2}PASS {2}Chain complete and trusted: /m);
    assert.match(r.stdout, /^ {2}leaf {10}CN=www\.cli\.example\.test/m);
    assert.match(r.stdout, /^ {2}intermediate {2}CN=CLI Test Issuing CA/m);
    assert.match(r.stdout, /^ {2}anchor {8}CN=CLI Test Root CA/m);
    const m = /Imported as certificate (\d+)/.exec(r.stdout);
    assert.ok(m, r.stdout);
    importedId = Number(m[1]);
    // The app (another connection, as a running server) sees it at once.
    const row = app.certificates.get(importedId)!;
    assert.equal(row.fingerprint_sha256, sha256(leaf.certDer));
    assert.ok(row.key_id, 'the key is stored with it');
    assert.equal(JSON.parse(row.chain_pem).length, 1);
    const audit = auditRows('certificate.import');
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.actor, 'cli');
    assert.equal(audit[0]!.target, String(importedId));
    assert.doesNotMatch(audit[0]!.details, /PRIVATE KEY/);
  });

  test('import refused: exit 2 with the code printed, the failing check shown, nothing stored', async () => {
    const before = ['certificates', 'private_keys', 'audit_log'].map(count);
    const fresh = pki.leaf('mismatch.cli.example.test', ica);
    const other = pki.leaf('other.cli.example.test', ica);
    const r = await cli(['import', file('mismatch.crt', fresh.certPem), file('other.key', other.keyPem)]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^certdesk import: KEY_MISMATCH: /m);
    assert.match(r.stdout, /^ {2}FAIL {2}Private key matches the certificate: /m);
    assert.deepEqual(['certificates', 'private_keys', 'audit_log'].map(count), before);

    const dup = await cli(['import', file('cert.crt', leaf.certPem), '--json']);
    assert.equal(dup.code, 2);
    const body = JSON.parse(dup.stdout);
    assert.equal(body.code, 'CERTIFICATE_EXISTS');
    assert.equal(body.existingId, importedId);

    const expired = pki.leaf('expired.cli.example.test', ica, { startDays: -60, endDays: -2 });
    const e = await cli([
      'import',
      file('expired.crt', expired.certPem),
      file('expired.key', expired.keyPem),
    ]);
    assert.equal(e.code, 2);
    assert.match(e.stderr, /CERTIFICATE_EXPIRED: Import refused: /);

    const missing = await cli(['import', path.join(work, 'nope.pem')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /FILE_NOT_FOUND/);
    assert.deepEqual(['certificates', 'private_keys', 'audit_log'].map(count), before);
  });

  test('import: passwords never as arguments; --password-env and --password-stdin read a PFX', async () => {
    const plain = await cli(['import', 'x.pfx', '--password', 'hunter2']);
    assert.equal(plain.code, 2);
    assert.match(plain.stderr, /USAGE_ERROR: --password is not accepted/);
    assert.doesNotMatch(plain.stderr + plain.stdout, /hunter2/);

    const a = pki.leaf('pfx-env.cli.example.test', ica, { key: 'rsa2048' });
    const pfxA = file('a.pfx', pki.pfx(a, [ica, root], 'pässword', 'modern', 'From env'));
    process.env.CLI_TEST_PFX_PASSWORD = 'wrong';
    const wrong = await cli(['import', pfxA, '--password-env', 'CLI_TEST_PFX_PASSWORD']);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /WRONG_PASSWORD/);
    process.env.CLI_TEST_PFX_PASSWORD = 'pässword';
    const ok = await cli(['import', pfxA, '--password-env', 'CLI_TEST_PFX_PASSWORD', '--json']);
    assert.equal(ok.code, 0, ok.stderr);
    const body = JSON.parse(ok.stdout);
    assert.equal(body.certificate.name, 'From env');
    assert.equal(body.certificate.hasKey, true);
    assert.doesNotMatch(JSON.stringify(auditRows('certificate.import')), /pässword/);

    const b = pki.leaf('pfx-stdin.cli.example.test', ica);
    const pfxB = file('b.pfx', pki.pfx(b, [ica], 'from stdin', '3des'));
    const viaStdin = await cli(['import', pfxB, '--password-stdin', '--name', 'Stdin PFX'], 'from stdin\n');
    assert.equal(viaStdin.code, 0, viaStdin.stderr);
    assert.match(viaStdin.stdout, /Imported as certificate \d+ \("Stdin PFX"\)/);

    const unset = await cli(['import', pfxB, '--password-env', 'CLI_TEST_NOT_SET']);
    assert.equal(unset.code, 2);
    assert.match(unset.stderr, /CLI_TEST_NOT_SET/);
  });

  test('import --chain manual with --intermediate', async () => {
    const l = pki.leaf('manual.cli.example.test', ica);
    const r = await cli([
      'import',
      file('manual.crt', l.certPem),
      file('manual.key', l.keyPem),
      '--chain',
      'manual',
      '--intermediate',
      file('manual-ica.crt', ica.certPem),
      '--json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const body = JSON.parse(r.stdout);
    assert.deepEqual(
      body.chain.map((c: { role: string }) => c.role),
      ['leaf', 'intermediate', 'anchor'],
    );
    const bad = await cli(['import', file('manual.crt', l.certPem), '--chain', 'magic']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /USAGE_ERROR: --chain must be/);
  });

  test('list: a table with id, CN, SANs, not after, days left, status, thumbprint; expired marked; --json', async () => {
    // An expired certificate cannot be imported; it is stored the way old inventory rows are.
    const old = pki.leaf('old.cli.example.test', ica, { startDays: -400, endDays: -10 });
    const expiredId = insertCertificate(app, {
      leaf: { cert: new X509Certificate(old.certPem), key: crypto.createPrivateKey(old.keyPem) },
    }).id;

    const r = await cli(['list']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^ID\s+COMMON NAME\s+SANS\s+NOT AFTER\s+DAYS LEFT\s+STATUS\s+SHA-1 THUMBPRINT$/);
    const thumb = crypto.createHash('sha1').update(leaf.certDer).digest('hex').toUpperCase();
    const mine = lines.find((l) => l.startsWith(`${importedId} `));
    assert.ok(mine, r.stdout);
    assert.match(
      mine,
      /www\.cli\.example\.test\s+www\.cli\.example\.test, cli\.example\.test\s+\d{4}-\d\d-\d\d\s+(89|90)\s+available\s+/,
    );
    assert.ok(mine.endsWith(thumb), mine);
    const expiredLine = lines.find((l) => l.startsWith(`${expiredId} `));
    assert.ok(expiredLine, r.stdout);
    assert.match(expiredLine, /EXPIRED 10d ago\s+EXPIRED\s+[0-9A-F]{40}$/);
    assert.match(lines.at(-1)!, /^5 certificates, 1 EXPIRED\.$/);

    const json = await cli(['list', '--json']);
    assert.equal(json.code, 0);
    const body = JSON.parse(json.stdout) as {
      items: { id: number; expired: boolean; thumbprintSha1: string }[];
      total: number;
    };
    assert.equal(body.total, 5);
    assert.equal(body.items.length, 5);
    assert.equal(body.items.find((i) => i.id === importedId)?.thumbprintSha1, thumb);
    assert.equal(body.items.find((i) => i.id === expiredId)?.expired, true);

    const onlyExpired = JSON.parse((await cli(['list', '--status', 'expired', '--json'])).stdout);
    assert.deepEqual(
      onlyExpired.items.map((i: { id: number }) => i.id),
      [expiredId],
    );
    const search = JSON.parse((await cli(['list', '--search', 'manual.cli', '--json'])).stdout);
    assert.equal(search.total, 1);
    assert.equal(search.items[0].commonName, 'manual.cli.example.test');
    const none = await cli(['list', '--search', 'no-such-host']);
    assert.match(none.stdout, /No certificate matches/);
    const bad = await cli(['list', '--status', 'bogus']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /USAGE_ERROR: --status must be one of/);
  });

  test('export pem, fullchain and chain to stdout; der to a file; all read by openssl', async () => {
    const pem = await cli(['export', String(importedId), '--format', 'pem']);
    assert.equal(pem.code, 0, pem.stderr);
    const fp = openssl(['x509', '-noout', '-fingerprint', '-sha256'], pem.raw);
    assert.equal(fp.trim().split('=')[1]!.replace(/:/g, ''), sha256(leaf.certDer));

    const full = await cli(['export', String(importedId), '--format', 'fullchain']);
    assert.equal(full.code, 0);
    assert.equal((full.stdout.match(/BEGIN CERTIFICATE/g) ?? []).length, 2);
    // openssl verifies the exported full chain against the root: it is complete and in order.
    const leafOut = file('exported-leaf.pem', full.stdout.split(/(?<=-----END CERTIFICATE-----\n)/)[0]!);
    const chainOut = (await cli(['export', String(importedId), '--format', 'chain'])).stdout;
    assert.equal(chainOut, ica.certPem.replace(/\r\n/g, '\n'));
    const verify = openssl([
      'verify',
      '-CAfile',
      root.certPath,
      '-untrusted',
      file('exported-chain.pem', chainOut),
      leafOut,
    ]);
    assert.match(verify, /OK/);

    const noOut = await cli(['export', String(importedId), '--format', 'der']);
    assert.equal(noOut.code, 2);
    assert.match(noOut.stderr, /USAGE_ERROR: --format der is binary: give --out FILE/);
    const derPath = path.join(work, 'out.cer');
    const der = await cli(['export', String(importedId), '--format', 'der', '--out', derPath]);
    assert.equal(der.code, 0, der.stderr);
    assert.deepEqual(fs.readFileSync(derPath), leaf.certDer);
    assert.match(
      openssl(['x509', '-inform', 'DER', '-in', derPath, '-noout', '-subject']),
      /www\.cli\.example\.test/,
    );

    const missing = await cli(['export', '99999', '--format', 'pem']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /CERTIFICATE_NOT_FOUND/);
    const badId = await cli(['export', 'abc', '--format', 'pem']);
    assert.equal(badId.code, 2);
    assert.match(badId.stderr, /INVALID_ID/);
  });

  test('export key and pfx: files 0600 (even over an existing 0644 file), readable by openssl, audited as cli', async () => {
    const keyPath = path.join(work, 'server.out.key');
    fs.writeFileSync(keyPath, 'old contents', { mode: 0o644 });
    fs.chmodSync(keyPath, 0o644);
    const k = await cli(['export', String(importedId), '--format', 'key', '--out', keyPath]);
    assert.equal(k.code, 0, k.stderr);
    assert.equal(fs.statSync(keyPath).mode & 0o777, 0o600);
    const pubFromKey = openssl(['pkey', '-in', keyPath, '-pubout']);
    const pubFromCert = openssl(['x509', '-in', leaf.certPath, '-noout', '-pubkey']);
    assert.equal(pubFromKey, pubFromCert);
    assert.deepEqual(
      fs.readdirSync(work).filter((f) => f.endsWith('.tmp')),
      [],
      'no temp file left',
    );

    const encPath = path.join(work, 'enc.key');
    const enc = await cli(
      ['export', String(importedId), '--format', 'key', '--out', encPath, '--key-passphrase-stdin'],
      'kp\n',
    );
    assert.equal(enc.code, 0, enc.stderr);
    assert.match(fs.readFileSync(encPath, 'utf8'), /BEGIN ENCRYPTED PRIVATE KEY/);
    assert.equal(openssl(['pkey', '-in', encPath, '-passin', 'pass:kp', '-pubout']), pubFromCert);

    const noPw = await cli([
      'export',
      String(importedId),
      '--format',
      'pfx',
      '--out',
      path.join(work, 'x.pfx'),
    ]);
    assert.equal(noPw.code, 2);
    assert.match(noPw.stderr, /PFX_PASSWORD_REQUIRED/);

    for (const legacy of [false, true]) {
      const pfxPath = path.join(work, legacy ? 'legacy.pfx' : 'modern.pfx');
      process.env.CLI_TEST_EXPORT_PW = 'export pw';
      const args = [
        'export',
        String(importedId),
        '--format',
        'pfx',
        '--out',
        pfxPath,
        '--pfx-password-env',
        'CLI_TEST_EXPORT_PW',
      ];
      const r = await cli(legacy ? [...args, '--legacy'] : args);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(fs.statSync(pfxPath).mode & 0o777, 0o600);
      // openssl 3 reads the 3DES/SHA-1 form without -legacy too (3DES stays in the default provider).
      const info = openssl(['pkcs12', '-in', pfxPath, '-passin', 'env:PW', '-nodes'], undefined, {
        PW: 'export pw',
      });
      assert.equal((info.match(/BEGIN CERTIFICATE/g) ?? []).length, 2, 'certificate and intermediate');
      assert.match(info, /BEGIN PRIVATE KEY/);
      assert.match(info, /subject=.*www\.cli\.example\.test/);
    }
    const exports = auditRows('certificate.export');
    assert.equal(exports.length, 4);
    assert.ok(exports.every((e) => e.actor === 'cli' && e.target === String(importedId)));
    assert.deepEqual(
      exports.map((e) => JSON.parse(e.details).format),
      ['key', 'key', 'pfx', 'pfx'],
    );
    assert.deepEqual(
      exports.map((e) => JSON.parse(e.details).pfxEncryption ?? JSON.parse(e.details).encrypted),
      [false, true, 'aes256', 'legacy'],
    );
    assert.doesNotMatch(JSON.stringify(exports), /export pw|"kp"/);
  });

  test('a data directory without a certdesk database: exit 1 with the reason, and no database created', async () => {
    const empty = tempDir('certdesk-cli-empty-');
    try {
      process.env.CERTDESK_DATA_DIR = empty;
      for (const args of [
        ['list'],
        ['export', '1', '--format', 'pem'],
        ['import', file('cert.crt', leaf.certPem)],
      ]) {
        const r = await cli(args);
        assert.equal(r.code, 1, args.join(' '));
        assert.match(r.stderr, /No certdesk database in .*CERTDESK_DATA_DIR/);
      }
      assert.deepEqual(fs.readdirSync(empty), []);
    } finally {
      process.env.CERTDESK_DATA_DIR = dataDir;
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  test('reset-https (in-process): HTTPS off in the settings, audited as cli', async () => {
    app.db
      .prepare(
        "INSERT INTO kv (key, value) VALUES ('server_settings', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
      )
      .run(
        JSON.stringify({
          httpsEnabled: true,
          activeCertificateId: importedId,
          serverNames: [],
          redirectHttp: true,
        }),
      );
    // reset-https prints with console.log (its own module); the database is what this test checks.
    const code = await main(['reset-https']);
    assert.equal(code, 0);
    const settings = JSON.parse(
      (app.db.prepare("SELECT value FROM kv WHERE key = 'server_settings'").get() as { value: string }).value,
    );
    assert.equal(settings.httpsEnabled, false);
    assert.equal(settings.activeCertificateId, importedId, 'the certificate choice is kept');
    assert.equal(auditRows('settings.server.reset-https').at(-1)?.actor, 'cli');
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { errorStatus } from '@certdesk/shared/errors';
import { buildCsr, decodeCsr } from '../../src/cert/csr.js';
import { CertError } from '../../src/cert/errors.js';
import { generateKey } from '../../src/cert/keygen.js';
import { cryptoPool } from '../../src/compute/crypto-pool.js';
import { openssl, scratch } from '../support/openssl.js';

const s = scratch();
let rsaPem: string;
let ecPem: string;

before(() => {
  const f = s.file;
  openssl([
    'req',
    '-new',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    f('rsa.key'),
    '-subj',
    '/C=US/ST=Ohio/O=Acme, Inc./CN=acme.example',
    '-addext',
    'subjectAltName=DNS:acme.example,DNS:*.acme.example,IP:10.1.2.3,IP:2001:db8::5',
    '-out',
    f('rsa.csr'),
  ]);
  openssl([
    'req',
    '-new',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-384',
    '-nodes',
    '-keyout',
    f('ec.key'),
    '-subj',
    '/CN=ec.example',
    '-sha384',
    '-out',
    f('ec.csr'),
  ]);
  openssl(['req', '-in', f('rsa.csr'), '-outform', 'DER', '-out', f('rsa.der')]);
  openssl(['req', '-x509', '-key', f('ec.key'), '-subj', '/CN=c', '-days', '1', '-out', f('cert.pem')]);
  rsaPem = fs.readFileSync(f('rsa.csr'), 'utf8');
  ecPem = fs.readFileSync(f('ec.csr'), 'utf8');
});
after(() => s.cleanup());

function expectNotACsr(fn: () => Promise<unknown>, message: RegExp) {
  return assert.rejects(fn, (err: unknown) => {
    assert.ok(err instanceof CertError);
    assert.equal(err.code, 'NOT_A_CSR');
    assert.equal(errorStatus(err.code, err.inRequest), 422);
    assert.match(err.message, message);
    return true;
  });
}

describe('decodeCsr', () => {
  test('an openssl RSA CSR: subject, SANs, key, signature', async () => {
    const d = await decodeCsr(rsaPem);
    assert.deepEqual(
      d.subject.map((a) => [a.shortName, a.value]),
      [
        ['C', 'US'],
        ['ST', 'Ohio'],
        ['O', 'Acme, Inc.'],
        ['CN', 'acme.example'],
      ],
    );
    assert.equal(d.subject.find((a) => a.shortName === 'O')?.name, 'Organization');
    assert.deepEqual(d.subjectAltNames, [
      { type: 'DNS', value: 'acme.example' },
      { type: 'DNS', value: '*.acme.example' },
      { type: 'IP', value: '10.1.2.3' },
      { type: 'IP', value: '2001:db8::5' },
    ]);
    assert.equal(d.keyType, 'rsa');
    assert.equal(d.keySize, 2048);
    assert.equal(d.signatureAlgorithm, 'sha256WithRSAEncryption');
    assert.equal(d.signatureValid, true);
    assert.equal(d.subjectDn, 'CN=acme.example, O=Acme, Inc., ST=Ohio, C=US');
    assert.ok(d.extensions.some((e) => e.name === 'Subject alternative name'));
  });

  test('an EC P-384 CSR signed with SHA-384, no SANs', async () => {
    const d = await decodeCsr(ecPem);
    assert.equal(d.keyType, 'ec');
    assert.equal(d.curve, 'P-384');
    assert.equal(d.signatureAlgorithm, 'ecdsa-with-SHA384');
    assert.equal(d.signatureValid, true);
    assert.deepEqual(d.subjectAltNames, []);
  });

  test('DER bytes and base64 of DER decode the same', async () => {
    const der = fs.readFileSync(s.file('rsa.der'));
    assert.equal((await decodeCsr(der)).publicKeySha256, (await decodeCsr(rsaPem)).publicKeySha256);
    assert.equal((await decodeCsr(der.toString('base64'))).signatureValid, true);
  });

  test('a CSR whose signature was tampered with decodes but does not verify', async () => {
    const der = fs.readFileSync(s.file('rsa.der'));
    const bad = Buffer.from(der);
    bad[bad.length - 1] = (bad[bad.length - 1] as number) ^ 0xff;
    const d = await decodeCsr(bad);
    assert.equal(d.signatureValid, false);
  });

  test('what certdesk builds verifies (round trip)', async () => {
    const { privateKey } = await generateKey({ keyType: 'ec', curve: 'P-256' }, cryptoPool());
    const pem = await buildCsr(
      { commonName: 'rt.example', country: 'FR', organization: 'A+B, "C"' },
      ['rt.example', '::1'],
      privateKey,
    );
    const d = await decodeCsr(pem);
    assert.equal(d.signatureValid, true);
    assert.deepEqual(
      d.subject.map((a) => a.value),
      ['FR', 'A+B, "C"', 'rt.example'],
    );
    assert.deepEqual(
      d.subjectAltNames.map((n) => n.value),
      ['rt.example', '::1'],
    );
  });

  test('not a CSR → 422 NOT_A_CSR saying what it is', async () => {
    await expectNotACsr(
      () => decodeCsr(fs.readFileSync(s.file('cert.pem'), 'utf8')),
      /looks like a certificate/,
    );
    await expectNotACsr(() => decodeCsr(fs.readFileSync(s.file('ec.key'), 'utf8')), /private key/);
    await expectNotACsr(() => decodeCsr('hello world'), /BEGIN CERTIFICATE REQUEST/);
    await expectNotACsr(() => decodeCsr(rsaPem.slice(0, 200)), /incomplete/);
    await expectNotACsr(
      () => decodeCsr(Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00])),
      /damaged|not a certificate signing request/,
    );
  });
});

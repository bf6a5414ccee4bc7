import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import { after, describe, test } from 'node:test';
import { buildCsr, decodeCsr } from '../../src/cert/csr.js';
import { decodeAnyFile } from '../../src/cert/decode.js';
import { describeCertificate } from '../../src/cert/describe.js';
import { parseSubjectAltNames } from '../../src/cert/identity.js';
import { generateKey } from '../../src/cert/keygen.js';
import { cryptoPool } from '../../src/compute/crypto-pool.js';
import { openssl, scratch } from '../support/openssl.js';

/**
 * One way to write each thing, on every page (issue 14, item 10): IPv6 compressed, key identifiers on one
 * line, server.csr ending with a newline.
 */
const s = scratch();
after(() => s.cleanup());

function selfSigned(): X509Certificate {
  const key = s.file('k.pem');
  const cert = s.file('c.pem');
  openssl([
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    key,
    '-out',
    cert,
    '-subj',
    '/CN=localhost',
    '-days',
    '30',
    '-addext',
    'subjectAltName=DNS:localhost,IP:::1,IP:127.0.0.1,IP:2001:db8:0:0:0:0:0:10',
  ]);
  return new X509Certificate(fs.readFileSync(cert));
}

describe('formatting', () => {
  test('IPv6 in the SANs is compressed (::1), as the Details tab and the import report write it', async () => {
    const cert = selfSigned();
    assert.match(cert.subjectAltName ?? '', /0:0:0:0:0:0:0:1/, 'Node itself writes it in full');
    assert.deepEqual(parseSubjectAltNames(cert), ['localhost', '::1', '127.0.0.1', '2001:db8::10']);
    const san = describeCertificate(Buffer.from(cert.raw)).extensions.find((e) => e.oid === '2.5.29.17');
    assert.deepEqual(san?.value, ['DNS: localhost', 'IP: ::1', 'IP: 127.0.0.1', 'IP: 2001:db8::10']);
    const decoded = await decodeAnyFile('c.pem', Buffer.from(cert.toString()), '', cryptoPool());
    const sans = JSON.stringify(decoded);
    assert.ok(sans.includes('"::1"') && !sans.includes('0:0:0:0:0:0:0:1'), sans.slice(0, 400));
  });

  test('a key identifier is one line, without a comma inside', () => {
    const ext = describeCertificate(Buffer.from(selfSigned().raw)).extensions.find(
      (e) => e.oid === '2.5.29.14',
    );
    assert.equal(ext?.value.length, 1, JSON.stringify(ext?.value));
    assert.match(ext!.value[0]!, /^[0-9a-f]{2}( [0-9a-f]{2}){19}$/);
    assert.doesNotMatch(ext!.value.join(', '), /,/);
  });

  test('server.csr ends with a newline; a CSR with an IPv6 SAN decodes it compressed', async () => {
    const { privateKey } = await generateKey({ keyType: 'ec', curve: 'P-256' }, cryptoPool());
    const pem = await buildCsr(
      { commonName: 'v6.example.test' },
      ['v6.example.test', '2001:db8::10'],
      privateKey,
    );
    assert.ok(pem.endsWith('-----END CERTIFICATE REQUEST-----\n'));
    const decoded = await decodeCsr(pem);
    assert.deepEqual(decoded.subjectAltNames, [
      { type: 'DNS', value: 'v6.example.test' },
      { type: 'IP', value: '2001:db8::10' },
    ]);
  });
});

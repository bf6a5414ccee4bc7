import 'reflect-metadata';
import crypto, { type KeyObject, webcrypto, X509Certificate } from 'node:crypto';
import { isIPv4, isIPv6, mergeSubjectAltNames, TEST_CA_ORGANIZATION } from '@certdesk/shared';
import * as x509 from '@peculiar/x509';
import { generateKey, type RsaKeygen } from './keygen.js';
import { buildPfx } from './pfx-writer.js';

/**
 * A throw-away lab PKI: a fresh root CA and one server certificate it signs, for trying HTTPS in a lab.
 * Both carry O="certdesk TEST CA - NOT FOR PRODUCTION" so nobody mistakes them for real ones. The root's
 * private key is discarded when this returns: the root can never sign anything else.
 */

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export interface TestPkiInput {
  commonName: string;
  subjectAltNames: string[];
  keyType: 'rsa' | 'ec';
  days: number;
  pfxPassword: string;
}

export interface TestPki {
  root: X509Certificate;
  cert: X509Certificate;
  key: KeyObject;
  subjectAltNames: string[];
  pfx: Buffer;
}

/** Clock skew allowance: a certificate valid from "now" is refused by a client whose clock is behind. */
const BACKDATE_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

async function signingKeys(keyType: 'rsa' | 'ec', rsa: RsaKeygen) {
  const pair = await generateKey(
    keyType === 'rsa' ? { keyType: 'rsa', keySize: 2048 } : { keyType: 'ec', curve: 'P-256' },
    rsa,
  );
  const alg =
    keyType === 'rsa'
      ? { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }
      : { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const subtle = webcrypto.subtle;
  const cryptoKeys = {
    privateKey: await subtle.importKey(
      'pkcs8',
      pair.privateKey.export({ type: 'pkcs8', format: 'der' }),
      alg,
      false,
      ['sign'],
    ),
    publicKey: await subtle.importKey(
      'spki',
      pair.publicKey.export({ type: 'spki', format: 'der' }),
      alg,
      true,
      ['verify'],
    ),
  };
  return { pair, cryptoKeys, alg };
}

const dnValue = (s: string) => s.replace(/([,+"\\<>;=])/g, '\\$1');

/** `rsa` makes the RSA keys (the worker pool in production). */
export async function createTestPki(input: TestPkiInput, rsa: RsaKeygen): Promise<TestPki> {
  const now = Date.now();
  const notBefore = new Date(now - BACKDATE_MS);
  const notAfter = new Date(now + input.days * DAY_MS);
  const sans = mergeSubjectAltNames(input.commonName, input.subjectAltNames);
  const tag = crypto.randomBytes(4).toString('hex').toUpperCase();

  const root = await signingKeys(input.keyType, rsa);
  const rootCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: `01${crypto.randomBytes(15).toString('hex')}`,
    name: `CN=certdesk TEST root ${tag}, O=${dnValue(TEST_CA_ORGANIZATION)}`,
    notBefore,
    // The root outlives the server certificate by a day, so the chain never expires first at the top.
    notAfter: new Date(notAfter.getTime() + DAY_MS),
    signingAlgorithm: root.alg,
    keys: root.cryptoKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(root.cryptoKeys.publicKey),
    ],
  });

  const leaf = await signingKeys(input.keyType, rsa);
  const usage =
    input.keyType === 'rsa'
      ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment
      : x509.KeyUsageFlags.digitalSignature;
  const leafCert = await x509.X509CertificateGenerator.create({
    serialNumber: `01${crypto.randomBytes(15).toString('hex')}`,
    subject: `CN=${dnValue(input.commonName)}, O=${dnValue(TEST_CA_ORGANIZATION)}`,
    issuer: rootCert.subject,
    notBefore,
    notAfter,
    signingAlgorithm: root.alg,
    publicKey: leaf.cryptoKeys.publicKey,
    signingKey: root.cryptoKeys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(usage, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(
        sans.map((v) => ({ type: isIPv4(v) || isIPv6(v) ? 'ip' : 'dns', value: v }) as x509.JsonGeneralName),
      ),
      await x509.SubjectKeyIdentifierExtension.create(leaf.cryptoKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(root.cryptoKeys.publicKey),
    ],
  });

  const rootX509 = new X509Certificate(Buffer.from(rootCert.rawData));
  const certX509 = new X509Certificate(Buffer.from(leafCert.rawData));
  const pfx = buildPfx({
    key: leaf.pair.privateKey,
    cert: certX509,
    chain: [rootX509],
    password: input.pfxPassword,
    encryption: 'aes256',
    friendlyName: `${input.commonName} (certdesk TEST)`,
  });
  return { root: rootX509, cert: certX509, key: leaf.pair.privateKey, subjectAltNames: sans, pfx };
}

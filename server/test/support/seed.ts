import 'reflect-metadata';
import crypto, { type KeyObject, type webcrypto, X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import type { TestApp } from './app.js';

/**
 * Test PKI made at test time with Node's WebCrypto (via @peculiar/x509, which lets a test pick any
 * validity window — expired and almost-expired certificates included), and a way to put certificates
 * in the store the way the import route does (PrivateKeyStore.insert + CertificateStore.insert in one
 * transaction).
 */

x509.cryptoProvider.set(crypto.webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
type CryptoKeyPair = webcrypto.CryptoKeyPair;
type Algorithm = webcrypto.Algorithm;
const subtle = crypto.webcrypto.subtle;
const DAY = 86_400_000;

export type KeySpec = { type: 'rsa'; size?: 2048 | 3072 | 4096 } | { type: 'ec'; curve?: 'P-256' | 'P-384' };

export interface Issuer {
  cert: X509Certificate;
  keys: CryptoKeyPair;
  alg: Algorithm & { hash: string };
}

export interface Leaf {
  cert: X509Certificate;
  key: KeyObject;
}

async function generate(spec: KeySpec): Promise<{ keys: CryptoKeyPair; alg: Algorithm & { hash: string } }> {
  if (spec.type === 'rsa') {
    const alg = {
      name: 'RSASSA-PKCS1-v1_5',
      hash: 'SHA-256',
      publicExponent: new Uint8Array([1, 0, 1]),
      modulusLength: spec.size ?? 2048,
    };
    return { keys: (await subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair, alg };
  }
  const alg = { name: 'ECDSA', namedCurve: spec.curve ?? 'P-256', hash: 'SHA-256' };
  return { keys: (await subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair, alg };
}

const toNode = (c: x509.X509Certificate) => new X509Certificate(Buffer.from(c.rawData));
let serial = 1;
const nextSerial = () =>
  (Date.now().toString(16) + (serial++).toString(16).padStart(6, '0')).padStart(16, '1');

export async function makeRoot(
  name = 'CN=certdesk Test Root CA, O=certdesk tests',
  spec: KeySpec = { type: 'ec' },
): Promise<Issuer> {
  const { keys, alg } = await generate(spec);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: nextSerial(),
    name,
    notBefore: new Date(Date.now() - 30 * DAY),
    notAfter: new Date(Date.now() + 3650 * DAY),
    keys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: toNode(cert), keys, alg };
}

export async function makeIntermediate(
  root: Issuer,
  name = 'CN=certdesk Test Issuing CA, O=certdesk tests',
): Promise<Issuer> {
  const { keys, alg } = await generate({ type: 'ec' });
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: nextSerial(),
    subject: name,
    issuer: new x509.X509Certificate(root.cert.raw).subject,
    notBefore: new Date(Date.now() - 20 * DAY),
    notAfter: new Date(Date.now() + 1825 * DAY),
    publicKey: keys.publicKey,
    signingKey: root.keys.privateKey,
    signingAlgorithm: root.alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(root.keys.publicKey),
    ],
  });
  return { cert: toNode(cert), keys, alg };
}

export interface LeafOptions {
  cn: string;
  sans?: string[];
  key?: KeySpec;
  /** Extra subject attributes after the CN, e.g. "O=Example, L=Paris, ST=IDF, C=FR". */
  subjectRest?: string;
  /** Validity relative to now, in days (negative = in the past). */
  notBeforeDays?: number;
  notAfterDays?: number;
}

export async function makeLeaf(issuer: Issuer, opts: LeafOptions): Promise<Leaf> {
  const { keys } = await generate(opts.key ?? { type: 'ec' });
  const sans = opts.sans ?? [opts.cn];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: nextSerial(),
    subject: `CN=${opts.cn}${opts.subjectRest ? `, ${opts.subjectRest}` : ''}`,
    issuer: new x509.X509Certificate(issuer.cert.raw).subject,
    notBefore: new Date(Date.now() + (opts.notBeforeDays ?? -1) * DAY),
    notAfter: new Date(Date.now() + (opts.notAfterDays ?? 90) * DAY),
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: issuer.alg,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension([
        x509.ExtendedKeyUsage.serverAuth,
        x509.ExtendedKeyUsage.clientAuth,
      ]),
      new x509.SubjectAlternativeNameExtension(
        sans.map((s) =>
          /^[\d.]+$|:/.test(s) ? { type: 'ip' as const, value: s } : { type: 'dns' as const, value: s },
        ),
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey),
      new x509.AuthorityInfoAccessExtension({
        caIssuers: 'http://pki.example.test/issuing.crt',
        ocsp: 'http://ocsp.example.test',
      }),
      new x509.CRLDistributionPointsExtension(['http://pki.example.test/issuing.crl']),
      new x509.CertificatePolicyExtension(['2.23.140.1.2.2']),
    ],
  });
  return { cert: toNode(cert), key: crypto.KeyObject.from(keys.privateKey) };
}

/** Root + intermediate shared by a test file (making keys is the slow part). */
export interface TestPki {
  root: Issuer;
  intermediate: Issuer;
}

export async function makePki(): Promise<TestPki> {
  const root = await makeRoot();
  return { root, intermediate: await makeIntermediate(root) };
}

export interface InsertOptions {
  leaf: Leaf;
  pki?: TestPki;
  /** Store without the private key (status pending_key). */
  withoutKey?: boolean;
  name?: string;
  previousVersionId?: number | null;
}

/** Stores a certificate as the import route does; returns its id and its key's id. */
export function insertCertificate(app: TestApp, opts: InsertOptions): { id: number; keyId: number | null } {
  return app.db.transaction(() => {
    const keyId = opts.withoutKey ? null : app.privateKeys.insert(opts.leaf.key);
    const id = app.certificates.insert({
      cert: opts.leaf.cert,
      chain: opts.pki ? [opts.pki.intermediate.cert] : [],
      root: opts.pki ? opts.pki.root.cert : null,
      keyId,
      name: opts.name ?? null,
      report: { checks: [{ id: 'seeded', status: 'pass', message: 'Stored by a test.' }] },
      previousVersionId: opts.previousVersionId ?? null,
    });
    return { id, keyId };
  })();
}

export async function seedCertificate(
  app: TestApp,
  pki: TestPki,
  opts: LeafOptions & Omit<InsertOptions, 'leaf' | 'pki'>,
) {
  const leaf = await makeLeaf(pki.intermediate, opts);
  return { ...insertCertificate(app, { ...opts, leaf, pki }), leaf };
}

/** Makes `certificateId` the active one, as the HTTPS-mode settings store it. */
export function setActive(app: TestApp, certificateId: number | null): void {
  const row = app.db.prepare("SELECT value FROM kv WHERE key = 'server_settings'").get() as
    | { value: string }
    | undefined;
  const value = { ...(row ? (JSON.parse(row.value) as object) : {}), activeCertificateId: certificateId };
  app.db
    .prepare(
      "INSERT INTO kv (key, value) VALUES ('server_settings', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )
    .run(JSON.stringify(value));
}

export function addBinding(app: TestApp, hostname: string, certificateId: number): number {
  const r = app.db
    .prepare('INSERT INTO bindings (hostname, certificate_id, created_at) VALUES (?, ?, ?)')
    .run(hostname, certificateId, new Date().toISOString());
  return Number(r.lastInsertRowid);
}

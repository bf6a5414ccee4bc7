import { type Static, Type } from 'typebox';
import { TEST_CERTIFICATE_MAX_DAYS } from './test-certificate-rules.js';

/** POST /api/tools/decode-csr: a PEM (or base64 DER) CSR pasted or read from a file. */
export const DecodeCsrBody = Type.Object({ csr: Type.String({ minLength: 1, maxLength: 200_000 }) });
export type DecodeCsrBody = Static<typeof DecodeCsrBody>;

export const DecodedCsr = Type.Object({
  subject: Type.Array(Type.Object({ name: Type.String(), shortName: Type.String(), value: Type.String() })),
  subjectDn: Type.String(),
  subjectAltNames: Type.Array(Type.Object({ type: Type.String(), value: Type.String() })),
  keyType: Type.String(),
  keySize: Type.Optional(Type.Integer()),
  curve: Type.Optional(Type.String()),
  signatureAlgorithm: Type.String(),
  signatureValid: Type.Boolean({
    description: 'The CSR is signed by the key it carries (openssl req -verify)',
  }),
  publicKeySha256: Type.String(),
  extensions: Type.Array(Type.Object({ oid: Type.String(), name: Type.String(), critical: Type.Boolean() })),
  pem: Type.String(),
});
export type DecodedCsr = Static<typeof DecodedCsr>;

/** POST /api/tools/decrypt-key. */
export const DecryptKeyBody = Type.Object({
  key: Type.String({ minLength: 1, maxLength: 200_000, description: 'PEM, or base64 of DER' }),
  passphrase: Type.String({ maxLength: 1024 }),
});
export type DecryptKeyBody = Static<typeof DecryptKeyBody>;

export const DecryptedKey = Type.Object({
  keyPem: Type.String({ description: 'The key, unencrypted, as PKCS#8 PEM' }),
  keyType: Type.String(),
  keySize: Type.Optional(Type.Integer()),
  curve: Type.Optional(Type.String()),
  sourceFormat: Type.String({ description: 'pkcs8, pkcs1 or sec1' }),
});
export type DecryptedKey = Static<typeof DecryptedKey>;

// --- POST /api/tools/decode (multipart `file` or `pem`, optional `password`) -----------------------

const NameFieldSchema = Type.Object({ type: Type.String(), name: Type.String(), value: Type.String() });

export const DecodedCertificate = Type.Object({
  subject: Type.String({ description: 'One line, most significant last: "CN=…, O=…"' }),
  subjectFields: Type.Array(NameFieldSchema),
  issuer: Type.String(),
  issuerFields: Type.Array(NameFieldSchema),
  commonName: Type.Union([Type.String(), Type.Null()]),
  serialNumber: Type.String(),
  notBefore: Type.String({ format: 'date-time' }),
  notAfter: Type.String({ format: 'date-time' }),
  daysLeft: Type.Integer(),
  subjectAltNames: Type.Array(Type.String()),
  publicKey: Type.String({ description: 'e.g. "RSA (2048 bits)" or "ECDSA P-256"' }),
  signatureAlgorithm: Type.String(),
  isCa: Type.Boolean(),
  selfSigned: Type.Boolean(),
  extensions: Type.Array(
    Type.Object({
      oid: Type.String(),
      name: Type.String(),
      critical: Type.Boolean(),
      value: Type.Array(Type.String()),
    }),
  ),
  thumbprintSha1: Type.String(),
  fingerprintSha256: Type.String(),
  friendlyName: Type.Union([Type.String(), Type.Null()], {
    description: 'PFX friendly name, when the file had one',
  }),
  hasPrivateKey: Type.Boolean({ description: 'A private key in the same file belongs to this certificate' }),
  pem: Type.String(),
});
export type DecodedCertificate = Static<typeof DecodedCertificate>;

/** A key is described, never returned: the decoder is read-only and shows no secrets. */
export const DecodedKeyInfo = Type.Object({
  keyType: Type.String({ description: 'rsa, ec, or "unknown" when it stays encrypted' }),
  keySize: Type.Optional(Type.Integer()),
  curve: Type.Optional(Type.String()),
  encrypted: Type.Boolean(),
  decrypted: Type.Boolean({ description: 'false: encrypted and no (or no matching) passphrase was given' }),
  friendlyName: Type.Union([Type.String(), Type.Null()]),
  publicKeySha256: Type.Union([Type.String(), Type.Null()]),
  matchesCertificate: Type.Union([Type.String(), Type.Null()], {
    description: 'SHA-256 fingerprint of the certificate in this file the key belongs to',
  }),
});
export type DecodedKeyInfo = Static<typeof DecodedKeyInfo>;

/** A certificate revocation list, as `openssl crl -text` shows it. Times are null when unreadable. */
export const DecodedCrl = Type.Object({
  issuer: Type.String({ description: 'One line, most significant last: "CN=…, O=…"' }),
  version: Type.Union([Type.Integer(), Type.Null()], { description: '1 or 2; null when out of range' }),
  signatureAlgorithm: Type.String(),
  thisUpdate: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  nextUpdate: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  crlNumber: Type.Union([Type.String(), Type.Null()], { description: 'Decimal' }),
  deltaCrlOf: Type.Union([Type.String(), Type.Null()], {
    description: 'A delta CRL: the number of the base CRL it updates',
  }),
  revokedCount: Type.Integer(),
  revoked: Type.Array(
    Type.Object({
      serialNumber: Type.String({ description: 'Upper-case hex' }),
      revocationDate: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
      reason: Type.Union([Type.String(), Type.Null()]),
    }),
    { description: 'The first 100 entries; revokedCount counts them all' },
  ),
  extensions: Type.Array(Type.Object({ oid: Type.String(), name: Type.String(), critical: Type.Boolean() })),
  fingerprintSha256: Type.String(),
  pem: Type.String(),
});
export type DecodedCrl = Static<typeof DecodedCrl>;

export const DecodedFile = Type.Object({
  format: Type.String({
    description:
      'pem-certificate | pem-bundle | der-certificate | pkcs7 | pkcs12 | private-key | csr | crl — read from the content',
  }),
  formatName: Type.String({ description: 'The format in words, e.g. "PKCS#12 (.pfx) file"' }),
  summary: Type.String({ description: 'One sentence: what is inside' }),
  certificates: Type.Array(DecodedCertificate),
  csrs: Type.Array(DecodedCsr),
  keys: Type.Array(DecodedKeyInfo),
  crls: Type.Array(DecodedCrl),
});
export type DecodedFile = Static<typeof DecodedFile>;

// --- POST /api/tools/convert (multipart) ------------------------------------------------------------

export const CONVERT_TARGETS = ['pem', 'der', 'p7b', 'pfx'] as const;
export type ConvertTarget = (typeof CONVERT_TARGETS)[number];

// --- POST /api/tools/test-certificate --------------------------------------------------------------

export { TEST_CA_ORGANIZATION, TEST_CERTIFICATE_MAX_DAYS } from './test-certificate-rules.js';

export const TestCertificateBody = Type.Object({
  commonName: Type.String({ minLength: 1, maxLength: 64 }),
  subjectAltNames: Type.Array(Type.String({ minLength: 1, maxLength: 253 }), { maxItems: 20, default: [] }),
  keyType: Type.Union([Type.Literal('rsa'), Type.Literal('ec')], {
    description: 'rsa = RSA-2048, ec = ECDSA P-256',
  }),
  days: Type.Integer({ minimum: 1, maximum: TEST_CERTIFICATE_MAX_DAYS }),
  pfxPassword: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 1024,
      description: 'When left out, a random one is made and returned',
    }),
  ),
  includePrivateKey: Type.Optional(
    Type.Boolean({ description: 'Also answer the private key as unencrypted PKCS#8 PEM' }),
  ),
});
export type TestCertificateBody = Static<typeof TestCertificateBody>;

export const TestCertificate = Type.Object({
  warning: Type.String(),
  rootPem: Type.String(),
  rootFingerprintSha256: Type.String(),
  certificatePem: Type.String(),
  fingerprintSha256: Type.String(),
  subjectAltNames: Type.Array(Type.String()),
  notAfter: Type.String({ format: 'date-time' }),
  privateKeyPem: Type.Optional(Type.String()),
  pfxBase64: Type.String({ description: 'PKCS#12: key, certificate and the test root (AES-256)' }),
  pfxPassword: Type.Optional(Type.String({ description: 'Only when the server chose it (none was given)' })),
});
export type TestCertificate = Static<typeof TestCertificate>;

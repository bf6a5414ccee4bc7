import crypto, { type KeyObject, X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AuthorityInfoAccessSyntax,
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  KeyUsage,
  KeyUsageFlags,
  NameConstraints,
  SubjectAlternativeName,
} from '@peculiar/asn1-x509';
import { DEFAULT_MAX_NODES } from 'asn1js';
import { CertError } from './errors.js';
import { commonNameOf } from './identity.js';
import { describeKey, type KeyInfo } from './key-info.js';

/**
 * One certificate with what path validation and the report need. Node's X509Certificate does the
 * signature checks; the extensions Node does not expose (path length, key usage bits, name
 * constraints, signature algorithm) are read with @peculiar/asn1-x509.
 */
export interface CertInfo {
  x509: X509Certificate;
  der: Buffer;
  fingerprint: string; // upper-case hex SHA-256 of the DER
  subject: string;
  issuer: string;
  commonName: string | null;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  selfSigned: boolean;
  /** basicConstraints cA (false when the extension is absent). */
  isCa: boolean;
  pathLen: number | null;
  /** null when the keyUsage extension is absent. */
  keyCertSign: boolean | null;
  /** null when the extendedKeyUsage extension is absent. */
  extKeyUsage: string[] | null;
  signatureAlgorithm: string; // OID
  dnsNames: string[];
  ipAddresses: string[];
  caIssuersUrls: string[];
  nameConstraints: { permittedDns: string[]; excludedDns: string[] } | null;
  publicKey: KeyObject;
  /** Hex SHA-256 of the SPKI: pairs certificates with keys. */
  spki: string;
  /** null for key types a TLS server here cannot use (DSA, Ed25519…). */
  keyInfo: KeyInfo | null;
  /** Where it came from: a file name, "store", "AIA http://…", "trust anchor". */
  source: string;
}

const EXT = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  nameConstraints: '2.5.29.30',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
};
const CA_ISSUERS = '1.3.6.1.5.5.7.48.2';

/**
 * What one certificate may hold. Public CAs issue at most a few hundred names per certificate; the
 * ASN.1 reader stops at DEFAULT_MAX_NODES elements (a guard against parser bombs). Either limit gets
 * its own answer, so a certificate that is merely too big is not called damaged.
 */
export const CERTIFICATE_LIMITS = { maxNames: 1000, maxAsn1Elements: DEFAULT_MAX_NODES };

/** Entries in Node's "DNS:a, IP Address:1.2.3.4, …" (quoted entries may contain ", ": an upper bound is enough). */
function altNameCount(x509: X509Certificate): number {
  const text = x509.subjectAltName;
  return text ? (text.match(/(?:^|, )[A-Za-z][A-Za-z ]*:/g) ?? []).length : 0;
}

function tooManyNames(source: string, count: number): CertError {
  const max = CERTIFICATE_LIMITS.maxNames;
  return new CertError(
    'TOO_MANY_NAMES',
    `${source}: the certificate lists ${count.toLocaleString('en')} alternative names; certdesk reads certificates with at most ${max.toLocaleString('en')}.`,
    { file: source, limit: max, count },
  );
}

function tooComplex(source: string): CertError {
  const max = CERTIFICATE_LIMITS.maxAsn1Elements;
  return new CertError(
    'CERTIFICATE_TOO_COMPLEX',
    `${source}: the certificate has more than ${max.toLocaleString('en')} ASN.1 elements (names, policies, extensions); certdesk reads at most ${max.toLocaleString('en')}.`,
    { file: source, limit: max },
  );
}

const ASN1_NODE_LIMIT = /Maximum ASN\.1 node count exceeded/;

/**
 * Parses DER into a CertInfo; anything unreadable is CERTIFICATE_DAMAGED naming the source, a
 * certificate past the size limits TOO_MANY_NAMES or CERTIFICATE_TOO_COMPLEX naming the limit.
 */
export function certInfo(der: Buffer, source: string): CertInfo {
  let x509: X509Certificate;
  let asn: Certificate;
  let publicKey: KeyObject;
  let notBefore: Date;
  let notAfter: Date;
  try {
    x509 = new X509Certificate(der);
    const names = altNameCount(x509);
    if (names > CERTIFICATE_LIMITS.maxNames) throw tooManyNames(source, names);
    asn = AsnConvert.parse(der, Certificate);
    // Node parses lazily: touch everything now so a damaged field fails here, not deep in a check.
    publicKey = x509.publicKey;
    notBefore = new Date(x509.validFrom);
    notAfter = new Date(x509.validTo);
    if (Number.isNaN(notBefore.getTime()) || Number.isNaN(notAfter.getTime()))
      throw new Error('bad validity');
  } catch (err) {
    if (err instanceof CertError) throw err;
    if (ASN1_NODE_LIMIT.test((err as Error)?.message ?? '')) throw tooComplex(source);
    throw new CertError(
      'CERTIFICATE_DAMAGED',
      `${source}: the certificate is damaged or truncated and cannot be read.`,
      {
        file: source,
      },
    );
  }
  const exts = new Map<string, ArrayBuffer>();
  for (const e of asn.tbsCertificate.extensions ?? []) exts.set(e.extnID, e.extnValue.buffer);
  const info: CertInfo = {
    x509,
    der: Buffer.from(x509.raw),
    fingerprint: crypto.createHash('sha256').update(x509.raw).digest('hex').toUpperCase(),
    subject: x509.subject,
    issuer: x509.issuer,
    commonName: commonNameOf(x509.subject),
    serialNumber: x509.serialNumber.toUpperCase(),
    notBefore,
    notAfter,
    publicKey,
    spki: crypto
      .createHash('sha256')
      .update(publicKey.export({ type: 'spki', format: 'der' }))
      .digest('hex'),
    keyInfo: keyInfoOrNull(publicKey),
    selfSigned: false,
    isCa: false,
    pathLen: null,
    keyCertSign: null,
    extKeyUsage: null,
    signatureAlgorithm: asn.signatureAlgorithm.algorithm,
    dnsNames: [],
    ipAddresses: [],
    caIssuersUrls: [],
    nameConstraints: null,
    source,
  };
  try {
    const bc = exts.get(EXT.basicConstraints);
    if (bc) {
      const v = AsnConvert.parse(bc, BasicConstraints);
      info.isCa = v.cA;
      info.pathLen = v.pathLenConstraint ?? null;
    }
    const ku = exts.get(EXT.keyUsage);
    if (ku) info.keyCertSign = (AsnConvert.parse(ku, KeyUsage).toNumber() & KeyUsageFlags.keyCertSign) !== 0;
    const eku = exts.get(EXT.extKeyUsage);
    if (eku) info.extKeyUsage = [...AsnConvert.parse(eku, ExtendedKeyUsage)];
    const san = exts.get(EXT.subjectAltName);
    if (san) {
      for (const n of AsnConvert.parse(san, SubjectAlternativeName)) {
        if (n.dNSName) info.dnsNames.push(n.dNSName);
        if (n.iPAddress) info.ipAddresses.push(n.iPAddress);
      }
    }
    const aia = exts.get(EXT.authorityInfoAccess);
    if (aia) {
      for (const d of AsnConvert.parse(aia, AuthorityInfoAccessSyntax)) {
        const uri = d.accessLocation.uniformResourceIdentifier;
        if (d.accessMethod === CA_ISSUERS && uri) info.caIssuersUrls.push(uri);
      }
    }
    const nc = exts.get(EXT.nameConstraints);
    if (nc) {
      const v = AsnConvert.parse(nc, NameConstraints);
      const dns = (subtrees: typeof v.permittedSubtrees) =>
        [...(subtrees ?? [])].map((s) => s.base.dNSName).filter((d): d is string => typeof d === 'string');
      info.nameConstraints = { permittedDns: dns(v.permittedSubtrees), excludedDns: dns(v.excludedSubtrees) };
    }
  } catch (err) {
    if (ASN1_NODE_LIMIT.test((err as Error)?.message ?? '')) throw tooComplex(source);
    throw new CertError('CERTIFICATE_DAMAGED', `${source}: a certificate extension is malformed.`, {
      file: source,
    });
  }
  // Self-signed: same names and its signature verifies with its own key. (Not checkIssued: OpenSSL's
  // version also demands keyCertSign, which a self-signed server certificate usually lacks.)
  try {
    info.selfSigned = x509.subject === x509.issuer && x509.verify(publicKey);
  } catch {
    info.selfSigned = false;
  }
  return info;
}

function keyInfoOrNull(key: KeyObject): KeyInfo | null {
  try {
    return describeKey(key);
  } catch {
    return null;
  }
}

/** True when `issuer` issued `child`: names/key ids match (checkIssued) and the signature verifies. */
export function issuedBy(child: CertInfo, issuer: CertInfo): boolean {
  try {
    return child.x509.checkIssued(issuer.x509) && child.x509.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/** Names a signature algorithm for a person. */
export const SIGNATURE_ALGORITHMS: Record<string, { name: string; hash: 'md5' | 'sha1' | 'sha2' | 'other' }> =
  {
    '1.2.840.113549.1.1.4': { name: 'MD5 with RSA', hash: 'md5' },
    '1.2.840.113549.1.1.5': { name: 'SHA-1 with RSA', hash: 'sha1' },
    '1.2.840.10045.4.1': { name: 'ECDSA with SHA-1', hash: 'sha1' },
    '1.2.840.113549.1.1.11': { name: 'SHA-256 with RSA', hash: 'sha2' },
    '1.2.840.113549.1.1.12': { name: 'SHA-384 with RSA', hash: 'sha2' },
    '1.2.840.113549.1.1.13': { name: 'SHA-512 with RSA', hash: 'sha2' },
    '1.2.840.113549.1.1.14': { name: 'SHA-224 with RSA', hash: 'sha2' },
    '1.2.840.113549.1.1.10': { name: 'RSASSA-PSS', hash: 'sha2' },
    '1.2.840.10045.4.3.1': { name: 'ECDSA with SHA-224', hash: 'sha2' },
    '1.2.840.10045.4.3.2': { name: 'ECDSA with SHA-256', hash: 'sha2' },
    '1.2.840.10045.4.3.3': { name: 'ECDSA with SHA-384', hash: 'sha2' },
    '1.2.840.10045.4.3.4': { name: 'ECDSA with SHA-512', hash: 'sha2' },
    '1.3.101.112': { name: 'Ed25519', hash: 'sha2' },
  };

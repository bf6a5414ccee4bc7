import crypto, { type KeyObject, X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  AuthorityInfoAccessSyntax,
  AuthorityKeyIdentifier,
  BasicConstraints,
  ExtendedKeyUsage,
  KeyUsage,
  KeyUsageFlags,
  SubjectKeyIdentifier,
} from '@peculiar/asn1-x509';
import { DEFAULT_MAX_NODES } from 'asn1js';
import {
  algorithmOid,
  countElements,
  parseTime,
  type RawExtension,
  type RawTbs,
  readCertificate,
} from './der.js';
import { attributeTexts, canonicalNameOf, OID_CN, parseName, type Rdn } from './dn.js';
import { CertError } from './errors.js';
import {
  formatIp,
  type GeneralName,
  type NameConstraints,
  parseGeneralNames,
  parseNameConstraints,
} from './general-names.js';
import { commonNameOf } from './identity.js';
import { describeKey, type KeyInfo } from './key-info.js';

/**
 * One certificate with what path validation and the report need. Node's X509Certificate does the
 * signature checks; names, validity, serial and the extension list are read from the DER (der.ts) so
 * that odd but readable certificates (empty names, year 0 or 9999, a malformed extension) are shown,
 * not refused; the extensions' contents are read with @peculiar/asn1-x509, one by one: a malformed one
 * is listed in `malformedExtensions` and path validation refuses the certificate, the rest still shows.
 */
export interface CertInfo {
  x509: X509Certificate;
  der: Buffer;
  fingerprint: string; // upper-case hex SHA-256 of the DER
  subject: string; // Node's multi-line form; '' for an empty name
  issuer: string;
  /** RFC 5280 comparable names (dn.ts): issuer/subject chaining uses these, not the text. */
  subjectKey: string;
  issuerKey: string;
  /** null when the name's DER cannot be read attribute by attribute. */
  subjectRdns: Rdn[] | null;
  emptySubject: boolean;
  emptyIssuer: boolean;
  commonName: string | null;
  version: number;
  serialNumber: string;
  /** The serial INTEGER's content octets (sign byte included). */
  serialBytes: Buffer;
  notBefore: Date;
  notAfter: Date;
  selfSigned: boolean;
  /** basicConstraints cA (false when the extension is absent). */
  isCa: boolean;
  pathLen: number | null;
  /** null when basicConstraints is absent. */
  basicConstraintsCritical: boolean | null;
  /** null when the keyUsage extension is absent. */
  keyCertSign: boolean | null;
  /** keyUsage bits (KeyUsageFlags), null when absent. */
  keyUsage: number | null;
  /** null when the extendedKeyUsage extension is absent. */
  extKeyUsage: string[] | null;
  signatureAlgorithm: string; // OID
  /** tbsCertificate.signature differs from Certificate.signatureAlgorithm (RFC 5280 §4.1.1.2). */
  signatureAlgorithmMismatch: boolean;
  dnsNames: string[];
  ipAddresses: string[];
  /** Every subjectAltName entry; null when the extension is absent (or malformed). */
  altNames: GeneralName[] | null;
  caIssuersUrls: string[];
  nameConstraints: NameConstraints | null;
  /** Hex subjectKeyIdentifier, null when absent. */
  subjectKeyId: string | null;
  authorityKeyId: { keyId: string | null; hasIssuer: boolean; hasSerial: boolean } | null;
  /** Every extension in order, with its criticality. */
  extensions: { oid: string; critical: boolean }[];
  /** OIDs of extensions whose content could not be read (shown by decode, refused by validation). */
  malformedExtensions: string[];
  publicKey: KeyObject;
  /** Hex SHA-256 of the SPKI: pairs certificates with keys. */
  spki: string;
  /** null for key types a TLS server here cannot use (DSA, Ed25519…). */
  keyInfo: KeyInfo | null;
  /** Where it came from: a file name, "store", "AIA http://…", "trust anchor". */
  source: string;
  /**
   * A root of Node's bundled Mozilla store: trusted as Mozilla ships it, so the CA/B profile rules that
   * some long-trusted roots predate (critical basicConstraints, SKI, AKI form) are not applied to it.
   */
  builtInRoot?: boolean;
}

export const EXT = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  nameConstraints: '2.5.29.30',
  authorityKeyIdentifier: '2.5.29.35',
  subjectKeyIdentifier: '2.5.29.14',
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
  let text: string | undefined;
  try {
    text = x509.subjectAltName;
  } catch {
    return 0; // a malformed extension: flagged by readExtension
  }
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

function damaged(
  source: string,
  why = 'the certificate is damaged or truncated and cannot be read',
): CertError {
  return new CertError('CERTIFICATE_DAMAGED', `${source}: ${why}.`, { file: source });
}

function unsupported(source: string, algorithmOid: string, what = 'an algorithm'): CertError {
  return new CertError(
    'CERTIFICATE_UNSUPPORTED',
    `${source}: a certificate whose public key uses ${what} this console cannot read (OID ${algorithmOid}); openssl x509 -text shows its other fields.`,
    { file: source },
  );
}

/**
 * A certificate by its structure that Node's X.509 reader refuses (an unknown public-key algorithm):
 * a 422 that says so, rather than "damaged". null when the structure is not a certificate at all.
 */
export function unsupportedCertificate(der: Buffer, source: string): CertError | null {
  let raw: RawTbs;
  try {
    raw = readCertificate(der);
  } catch {
    return null;
  }
  try {
    new X509Certificate(der);
    return null;
  } catch {
    // A certificate's shape that Node cannot load: said below.
  }
  return unsupported(source, raw.publicKeyAlgorithm);
}

/**
 * The ASN.1 elements of the certificate and of each extension's content (where the names, policies
 * and constraints are), counted before anything is evaluated, so a parser bomb stops here.
 */
function elementCount(der: Buffer, raw: RawTbs): number {
  const max = CERTIFICATE_LIMITS.maxAsn1Elements;
  let count = countElements(der, max);
  for (const e of raw.extensions) {
    if (count > max) break;
    try {
      count += countElements(e.value, max - count);
    } catch {
      // A malformed extension is flagged by readExtension, not counted.
    }
  }
  return count;
}

/**
 * Parses DER into a CertInfo; anything unreadable is CERTIFICATE_DAMAGED naming the source, a
 * certificate past the size limits TOO_MANY_NAMES or CERTIFICATE_TOO_COMPLEX naming the limit, one
 * whose key Node cannot load CERTIFICATE_UNSUPPORTED naming the algorithm.
 */
export function certInfo(der: Buffer, source: string): CertInfo {
  let x509: X509Certificate;
  let raw: RawTbs;
  let signatureAlgorithm: string;
  let publicKey: KeyObject;
  try {
    raw = readCertificate(der);
    x509 = new X509Certificate(der);
    signatureAlgorithm = algorithmOid(raw.outerSignatureAlgorithm);
  } catch {
    throw unsupportedCertificate(der, source) ?? damaged(source);
  }
  const names = altNameCount(x509);
  if (names > CERTIFICATE_LIMITS.maxNames) throw tooManyNames(source, names);
  if (elementCount(der, raw) > CERTIFICATE_LIMITS.maxAsn1Elements) throw tooComplex(source);
  const notBefore = parseTime(raw.notBefore.tag, raw.notBefore.text);
  const notAfter = parseTime(raw.notAfter.tag, raw.notAfter.text);
  if (!notBefore || !notAfter)
    throw damaged(source, 'the validity dates are not valid UTCTime/GeneralizedTime');
  try {
    // Node parses lazily: touch the key now so a damaged one fails here, not deep in a check.
    publicKey = x509.publicKey;
  } catch {
    throw unsupported(source, raw.publicKeyAlgorithm, 'an algorithm or encoding');
  }
  let subjectRdns: Rdn[] | null = null;
  try {
    subjectRdns = parseName(raw.subject);
  } catch {
    subjectRdns = null;
  }
  const info: CertInfo = {
    x509,
    der: Buffer.from(x509.raw),
    fingerprint: crypto.createHash('sha256').update(x509.raw).digest('hex').toUpperCase(),
    subject: x509.subject ?? '',
    issuer: x509.issuer ?? '',
    subjectKey: canonicalNameOf(raw.subject),
    issuerKey: canonicalNameOf(raw.issuer),
    subjectRdns,
    emptySubject: raw.subject.length <= 2,
    emptyIssuer: raw.issuer.length <= 2,
    commonName: subjectRdns ? (attributeTexts(subjectRdns, OID_CN)[0] ?? null) : commonNameOf(x509.subject),
    version: raw.version,
    serialNumber: x509.serialNumber.toUpperCase(),
    serialBytes: raw.serial,
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
    basicConstraintsCritical: null,
    keyCertSign: null,
    keyUsage: null,
    extKeyUsage: null,
    signatureAlgorithm,
    signatureAlgorithmMismatch: !raw.innerSignatureAlgorithm.equals(raw.outerSignatureAlgorithm),
    dnsNames: [],
    ipAddresses: [],
    altNames: null,
    caIssuersUrls: [],
    nameConstraints: null,
    subjectKeyId: null,
    authorityKeyId: null,
    extensions: raw.extensions.map((e) => ({ oid: e.oid, critical: e.critical })),
    malformedExtensions: [],
    source,
  };
  for (const e of raw.extensions) {
    try {
      readExtension(info, e);
    } catch (err) {
      if (ASN1_NODE_LIMIT.test((err as Error)?.message ?? '')) throw tooComplex(source);
      info.malformedExtensions.push(e.oid);
    }
  }
  // Self-signed: same names and its signature verifies with its own key. (Not checkIssued: OpenSSL's
  // version also demands keyCertSign, which a self-signed server certificate usually lacks.)
  try {
    info.selfSigned = info.subjectKey === info.issuerKey && x509.verify(publicKey);
  } catch {
    info.selfSigned = false;
  }
  return info;
}

const hex = (b: ArrayBuffer | Buffer) =>
  Buffer.from(b as ArrayBuffer)
    .toString('hex')
    .toUpperCase();

function readExtension(info: CertInfo, e: RawExtension): void {
  const value = e.value;
  switch (e.oid) {
    case EXT.basicConstraints: {
      const v = AsnConvert.parse(value, BasicConstraints);
      info.isCa = v.cA;
      info.pathLen = v.pathLenConstraint ?? null;
      info.basicConstraintsCritical = e.critical;
      break;
    }
    case EXT.keyUsage: {
      const bits = AsnConvert.parse(value, KeyUsage).toNumber();
      info.keyUsage = bits;
      info.keyCertSign = (bits & KeyUsageFlags.keyCertSign) !== 0;
      break;
    }
    case EXT.extKeyUsage:
      info.extKeyUsage = [...AsnConvert.parse(value, ExtendedKeyUsage)];
      break;
    case EXT.subjectAltName: {
      const names = parseGeneralNames(value);
      info.altNames = names;
      for (const n of names) {
        if (n.type === 'dns') info.dnsNames.push(n.value);
        if (n.type === 'ip' && (n.bytes.length === 4 || n.bytes.length === 16))
          info.ipAddresses.push(formatIp(n.bytes));
      }
      break;
    }
    case EXT.authorityInfoAccess:
      for (const d of AsnConvert.parse(value, AuthorityInfoAccessSyntax)) {
        const uri = d.accessLocation.uniformResourceIdentifier;
        if (d.accessMethod === CA_ISSUERS && uri) info.caIssuersUrls.push(uri);
      }
      break;
    case EXT.nameConstraints:
      info.nameConstraints = parseNameConstraints(value);
      break;
    case EXT.subjectKeyIdentifier:
      info.subjectKeyId = hex(AsnConvert.parse(value, SubjectKeyIdentifier).buffer);
      break;
    case EXT.authorityKeyIdentifier: {
      const v = AsnConvert.parse(value, AuthorityKeyIdentifier);
      info.authorityKeyId = {
        keyId: v.keyIdentifier ? hex(v.keyIdentifier.buffer) : null,
        hasIssuer: v.authorityCertIssuer !== undefined,
        hasSerial: v.authorityCertSerialNumber !== undefined,
      };
      break;
    }
  }
}

/**
 * notBefore/notAfter as written in the certificate (Node's validFrom text loses years below 100 and is
 * parsed by Date as 2000-2099). Falls back to Node's text only for a structure der.ts cannot read.
 */
export function certificateValidity(x: X509Certificate): { notBefore: Date; notAfter: Date } {
  try {
    const raw = readCertificate(Buffer.from(x.raw));
    const notBefore = parseTime(raw.notBefore.tag, raw.notBefore.text);
    const notAfter = parseTime(raw.notAfter.tag, raw.notAfter.text);
    if (notBefore && notAfter) return { notBefore, notAfter };
  } catch {
    // fall through
  }
  return { notBefore: new Date(x.validFrom), notAfter: new Date(x.validTo) };
}

function keyInfoOrNull(key: KeyObject): KeyInfo | null {
  try {
    return describeKey(key);
  } catch {
    return null;
  }
}

/**
 * True when `issuer` issued `child`: the issuer name matches the issuer's subject (RFC 5280 name
 * comparison), the key identifiers do not contradict each other, and the signature verifies.
 */
export function issuedBy(child: CertInfo, issuer: CertInfo): boolean {
  if (child.issuerKey !== issuer.subjectKey) return false;
  const akid = child.authorityKeyId?.keyId;
  if (akid && issuer.subjectKeyId && akid !== issuer.subjectKeyId) return false;
  try {
    return child.x509.verify(issuer.publicKey);
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

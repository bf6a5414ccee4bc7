import type { KeyObject } from 'node:crypto';
import { children, readTlv } from './der.js';
import { ipText, parseIp } from './general-names.js';
import { type CertInfo, EXT } from './x509-info.js';

/**
 * The per-certificate rules of RFC 5280 §4 and of the CA/Browser Forum profile (Baseline Requirements
 * §7.1) that browsers enforce: extension criticality and placement, key identifiers, serial numbers,
 * subjectAltName shape, keys and the serverAuth purpose. path-validation.ts applies them to each link.
 */

const KNOWN_EXTENSIONS = new Set([
  '2.5.29.9', // subjectDirectoryAttributes
  '2.5.29.14',
  '2.5.29.15',
  '2.5.29.16', // privateKeyUsagePeriod
  '2.5.29.17',
  '2.5.29.18', // issuerAltName
  '2.5.29.19',
  '2.5.29.30',
  '2.5.29.31', // cRLDistributionPoints
  '2.5.29.32', // certificatePolicies
  '2.5.29.33', // policyMappings
  '2.5.29.35',
  '2.5.29.36', // policyConstraints
  '2.5.29.37',
  '2.5.29.46', // freshestCRL
  '2.5.29.54', // inhibitAnyPolicy
  '1.3.6.1.5.5.7.1.1',
  '1.3.6.1.5.5.7.1.11', // subjectInfoAccess
  '1.3.6.1.5.5.7.1.24', // TLS feature
  '1.3.6.1.4.1.11129.2.4.2', // CT SCT list
  '1.3.6.1.5.5.7.48.1.5', // OCSP no check
]);

export const EXTENSION_NAMES: Record<string, string> = {
  '2.5.29.14': 'subjectKeyIdentifier',
  '2.5.29.15': 'keyUsage',
  '2.5.29.17': 'subjectAltName',
  '2.5.29.19': 'basicConstraints',
  '2.5.29.30': 'nameConstraints',
  '2.5.29.35': 'authorityKeyIdentifier',
  '2.5.29.37': 'extendedKeyUsage',
  '1.3.6.1.5.5.7.1.1': 'authorityInfoAccess',
};
const extName = (oid: string) => EXTENSION_NAMES[oid] ?? oid;

/** Signature algorithms browsers accept on certificates: RSA (PKCS#1 v1.5 or PSS) and ECDSA with SHA-2 ≥ 256. */
export const WEB_SIGNATURES = new Set([
  '1.2.840.113549.1.1.11',
  '1.2.840.113549.1.1.12',
  '1.2.840.113549.1.1.13',
  '1.2.840.113549.1.1.10',
  '1.2.840.10045.4.3.2',
  '1.2.840.10045.4.3.3',
  '1.2.840.10045.4.3.4',
]);

const MUST_NOT_BE_CRITICAL = [EXT.authorityKeyIdentifier, EXT.subjectKeyIdentifier, EXT.authorityInfoAccess];
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const ANY_EKU = '2.5.29.37.0';

const who = (c: CertInfo) =>
  `"${c.commonName ?? (c.subject.replace(/\n/g, ', ') || `serial ${c.serialNumber}`)}"`;

/**
 * What is wrong with a certificate, split by consequence: `problems` are what browsers refuse;
 * `lints` break RFC 5280 or the CA/B profile but browsers still accept them (the report refuses them
 * under a public CA and warns under a private one; the conformance runners count both).
 */
export interface Findings {
  problems: string[];
  lints: string[];
}
export const noFindings = (): Findings => ({ problems: [], lints: [] });

export function certificateProfileFindings(
  c: CertInfo,
  { web, role }: { web: boolean; role: 'leaf' | 'ca' | 'anchor' },
  out: Findings,
): void {
  const name = who(c);
  const seen = new Set<string>();
  for (const e of c.extensions) {
    if (seen.has(e.oid))
      out.problems.push(`${name} contains the ${extName(e.oid)} extension more than once.`);
    seen.add(e.oid);
    if (e.critical && !KNOWN_EXTENSIONS.has(e.oid))
      out.problems.push(
        `${name} has a critical extension ${e.oid} that no client understands, so every client refuses it.`,
      );
    if (e.critical && MUST_NOT_BE_CRITICAL.includes(e.oid))
      out.lints.push(`${name} marks ${extName(e.oid)} critical, which RFC 5280 forbids.`);
  }
  for (const oid of c.malformedExtensions)
    out.problems.push(`${name} has a malformed ${extName(oid)} extension.`);
  if (c.signatureAlgorithmMismatch)
    out.problems.push(
      `${name} names two different signature algorithms (tbsCertificate and outer), which RFC 5280 forbids.`,
    );
  if (role !== 'anchor' && c.emptyIssuer) out.problems.push(`${name} has an empty issuer name.`);

  const aki = c.authorityKeyId;
  // The anchor is trusted as configured (RFC 5280 §6.1 takes it as input), so only the others.
  if (!aki && !c.selfSigned && role !== 'anchor')
    out.lints.push(
      `${name} has no authorityKeyIdentifier, which every certificate not signed by itself must carry.`,
    );
  const asShipped = role === 'anchor' && c.builtInRoot === true;
  if (web && aki && !asShipped) {
    if (!aki.keyId) out.lints.push(`${name} has an authorityKeyIdentifier without a keyIdentifier.`);
    if (aki.hasIssuer || aki.hasSerial)
      out.lints.push(
        `${name} has an authorityKeyIdentifier naming an issuer and serial, which the CA/B Forum forbids.`,
      );
    if (c.selfSigned && aki.keyId && c.subjectKeyId && aki.keyId !== c.subjectKeyId)
      out.lints.push(
        `${name} is self-signed but its authorityKeyIdentifier differs from its subjectKeyIdentifier.`,
      );
  }
  if (web && role !== 'anchor') {
    const serialProblem = serialNumberProblem(c.serialBytes);
    if (serialProblem) out.lints.push(`${name} ${serialProblem}.`);
  }
  if (role === 'leaf') leafShapeFindings(c, web, out);
}

function serialNumberProblem(serial: Buffer): string | null {
  if (serial.length === 0 || ((serial[0] as number) & 0x80) !== 0) return 'has a negative serial number';
  if (serial.every((b) => b === 0)) return 'has a serial number of zero';
  if (serial.length > 20) return `has a serial number of ${serial.length} octets (at most 20 are allowed)`;
  return null;
}

function leafShapeFindings(c: CertInfo, web: boolean, out: Findings): void {
  const name = who(c);
  if (c.keyCertSign && (web || !c.isCa))
    out.problems.push(
      `${name} has keyUsage keyCertSign: a server certificate must not be able to sign certificates.`,
    );
  if (web && c.isCa)
    out.problems.push(`${name} is a CA certificate (basicConstraints CA:TRUE), not a server certificate.`);
  if (web && c.version !== 3)
    out.problems.push(`${name} is an X.509 version ${c.version} certificate; browsers need version 3.`);
  const san = c.extensions.find((e) => e.oid === EXT.subjectAltName);
  if (c.emptySubject && !san?.critical)
    out.lints.push(
      `${name} has an empty subject, so its subjectAltName extension must be present and critical.`,
    );
  if (web && !san)
    out.problems.push(`${name} has no subjectAltName: browsers only read host names from there.`);
  if (web && san?.critical && !c.emptySubject)
    out.lints.push(`${name} marks subjectAltName critical although its subject is not empty.`);
  if (web && c.altNames) {
    for (const n of c.altNames) {
      if (n.type === 'dns' && !validDnsSan(n.value))
        out.problems.push(`${name} has an invalid DNS name "${n.value}".`);
      if (n.type === 'ip' && n.bytes.length !== 4 && n.bytes.length !== 16)
        out.problems.push(
          `${name} has an IP address entry of ${n.bytes.length} octets (not an IPv4 or IPv6 address).`,
        );
    }
    const cn = c.commonName;
    if (cn !== null) {
      const problem = commonNameProblem(cn, c);
      if (problem) out.lints.push(`${name}: ${problem}`);
    }
  }
}

/**
 * Browsers read host names from the subjectAltName only, so a CN that names some other host is
 * harmless to them; what they and the CA/B Forum (BR 7.1.4.3) do refuse is a CN that is meant as a
 * copy of a SAN entry but is not one character for character: an IP address in another notation, a
 * different letter case, or a Unicode (U-label) form of a SAN's A-label.
 */
function commonNameProblem(cn: string, c: CertInfo): string | null {
  const ips = (c.altNames ?? []).filter((n) => n.type === 'ip').map((n) => ipText(n.bytes));
  const looseIp = looseIpBytes(cn);
  if (looseIp && !ips.includes(cn))
    return `the common name "${cn}" is an IP address not written as in the subjectAltName (${ips.join(', ') || 'none'}).`;
  if (!c.dnsNames.includes(cn) && c.dnsNames.some((d) => d.toLowerCase() === cn.toLowerCase()))
    return `the common name "${cn}" differs from the subjectAltName entry only in letter case.`;
  // A host name with Unicode labels: SAN entries are A-labels (xn--…), so this cannot be a copy.
  if ([...cn].some((ch) => (ch.codePointAt(0) ?? 0) > 0x7f) && /^[^\s/@]+\.[^\s/@.]+$/.test(cn))
    return `the common name "${cn}" is a host name in Unicode form; certificates must carry the A-label (xn--) form found in the subjectAltName.`;
  return null;
}

/** An IPv4/IPv6 address in any notation people or old software write (hex, leading zeros, upper case). */
function looseIpBytes(s: string): Buffer | null {
  if (/^0x[0-9a-f]{8}$/i.test(s)) return Buffer.from(s.slice(2), 'hex');
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (v4) return Buffer.from(v4.slice(1).map(Number));
  return s.includes(':') ? parseIp(s) : null;
}

/** A dNSName a browser accepts: LDH labels, an optional whole left-most "*" label, not "*" alone. */
export function validDnsSan(s: string): boolean {
  const labels = s.split('.');
  if (labels.length < 2 && s.startsWith('*')) return false;
  return labels.every(
    (l, i) => (i === 0 && l === '*' && labels.length > 2) || /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i.test(l),
  );
}

/** Keys the CA/B Forum allows: RSA of at least 2048 bits in whole bytes, ECDSA on P-256/P-384/P-521. */
export function signingKeyProblem(c: CertInfo): string | null {
  const key = c.publicKey;
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') {
    const bits = d.modulusLength ?? 0;
    if (bits < 2048) return `its RSA key has ${bits} bits; at least 2048 are needed.`;
    if (bits % 8 !== 0) return `its RSA key has ${bits} bits, not a whole number of bytes.`;
    return null;
  }
  if (key.asymmetricKeyType === 'ec') {
    if (explicitCurve(key))
      return 'its ECDSA key spells out the curve parameters instead of naming the curve, which the CA/B Forum forbids.';
    const curve = d.namedCurve;
    if (curve === 'prime256v1' || curve === 'secp384r1' || curve === 'secp521r1') return null;
    return `its ECDSA key is on ${curve ? `curve ${curve}` : 'an explicitly encoded curve'}; only P-256, P-384 and P-521 are allowed.`;
  }
  return `its ${key.asymmetricKeyType ?? 'unknown'} key is not an RSA or ECDSA key that browsers accept.`;
}

/** SubjectPublicKeyInfo whose EC parameters are a SEQUENCE (explicit curve) rather than a named-curve OID. */
function explicitCurve(key: KeyObject): boolean {
  try {
    const spki = key.export({ type: 'spki', format: 'der' });
    const top = readTlv(spki, 0);
    const alg = children(spki, top)[0];
    const params = alg ? children(spki, alg)[1] : undefined;
    return params?.tag === 0x30;
  } catch {
    return true;
  }
}

export const leafKeyProblem = signingKeyProblem;

/** CA/B Forum §7.1.2.7.10: a server certificate lists serverAuth, never anyExtendedKeyUsage, non-critical. */
export function serverAuthProblem(leaf: CertInfo, web = true): string | null {
  const eku = leaf.extKeyUsage;
  if (eku === null) {
    if (leaf.malformedExtensions.includes(EXT.extKeyUsage))
      return 'The extended key usage extension is malformed.';
    return web
      ? 'The certificate has no extended key usage extension; browsers require one listing serverAuth (1.3.6.1.5.5.7.3.1).'
      : null;
  }
  if (web && eku.includes(ANY_EKU))
    return 'The extended key usage contains anyExtendedKeyUsage (2.5.29.37.0), which browsers refuse on a server certificate.';
  if (!eku.includes(SERVER_AUTH) && (web || !eku.includes(ANY_EKU)))
    return `The extended key usage (${eku.join(', ')}) does not include serverAuth (1.3.6.1.5.5.7.3.1): clients will refuse it for a web server.`;
  if (web && leaf.extensions.some((e) => e.oid === EXT.extKeyUsage && e.critical))
    return 'The extended key usage extension is marked critical, which the CA/B Forum forbids for server certificates.';
  return null;
}

/** RFC 6125 host matching on the subjectAltName only (browsers ignore the CN). */
export function coversHost(leaf: CertInfo, host: string): boolean {
  const ip = parseIp(host);
  if (ip) return (leaf.altNames ?? []).some((n) => n.type === 'ip' && n.bytes.equals(ip));
  return hostMatches(host, leaf.dnsNames.filter(validDnsSan));
}

/** A wildcard stands for exactly one left-most label, and never for a whole registrable suffix. */
export function hostMatches(host: string, sans: string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  const hostIp = parseIp(h);
  return sans.some((san) => {
    const s = san.toLowerCase().replace(/\.$/, '');
    if (hostIp) {
      const sanIp = parseIp(s);
      return sanIp?.equals(hostIp);
    }
    if (s === h) return true;
    if (!s.startsWith('*.')) return false;
    const dot = h.indexOf('.');
    return dot > 0 && h.slice(dot + 1) === s.slice(2) && s.slice(2).includes('.');
  });
}

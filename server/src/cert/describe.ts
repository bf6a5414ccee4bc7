import 'reflect-metadata';
import { type KeyObject, type webcrypto, X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { algorithmOid, type RawExtension, readCertificate } from './der.js';
import { commonNameOf, fingerprintSha256, oneLineDn, thumbprintSha1 } from './identity.js';
import { describeKey } from './key-info.js';
import { EXTENSION_NAMES } from './web-profile.js';
import { certificateValidity, SIGNATURE_ALGORITHMS } from './x509-info.js';

/**
 * Everything the certificate dialog shows (General / Details / Certification Path), read from the DER.
 * Pure: no database, no fastify. Extensions are decoded by @peculiar/x509, which prints each one the way
 * `openssl x509 -text` does; the names of key usages and EKUs are ours so the General tab can list them.
 */

const DAY_MS = 86_400_000;

export const EKU_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'Server Authentication',
  '1.3.6.1.5.5.7.3.2': 'Client Authentication',
  '1.3.6.1.5.5.7.3.3': 'Code Signing',
  '1.3.6.1.5.5.7.3.4': 'Secure Email',
  '1.3.6.1.5.5.7.3.8': 'Time Stamping',
  '1.3.6.1.5.5.7.3.9': 'OCSP Signing',
  '1.3.6.1.4.1.311.10.3.3': 'Microsoft Server Gated Crypto',
  '2.16.840.1.113730.4.1': 'Netscape Server Gated Crypto',
  '2.5.29.37.0': 'Any Purpose',
};

const KEY_USAGE_NAMES: [number, string][] = [
  [x509.KeyUsageFlags.digitalSignature, 'Digital Signature'],
  [x509.KeyUsageFlags.nonRepudiation, 'Non-Repudiation'],
  [x509.KeyUsageFlags.keyEncipherment, 'Key Encipherment'],
  [x509.KeyUsageFlags.dataEncipherment, 'Data Encipherment'],
  [x509.KeyUsageFlags.keyAgreement, 'Key Agreement'],
  [x509.KeyUsageFlags.keyCertSign, 'Certificate Signing'],
  [x509.KeyUsageFlags.cRLSign, 'CRL Signing'],
  [x509.KeyUsageFlags.encipherOnly, 'Encipher Only'],
  [x509.KeyUsageFlags.decipherOnly, 'Decipher Only'],
];

const NAME_LABELS: Record<string, string> = {
  CN: 'Common name',
  O: 'Organization',
  OU: 'Organizational unit',
  L: 'Locality',
  ST: 'State or province',
  C: 'Country',
  E: 'Email',
  SERIALNUMBER: 'Serial number',
  DC: 'Domain component',
  STREET: 'Street',
};

export interface NameField {
  type: string;
  name: string;
  value: string;
}

export interface ExtensionView {
  oid: string;
  name: string;
  critical: boolean;
  value: string[];
}

export interface CertificateView {
  version: number;
  subjectFields: NameField[];
  issuerFields: NameField[];
  signatureAlgorithm: string;
  publicKey: string;
  keyUsage: string[];
  extendedKeyUsage: { oid: string; name: string }[];
  basicConstraints: { ca: boolean; pathLength: number | null } | null;
  extensions: ExtensionView[];
}

function nameFields(name: x509.Name): NameField[] {
  const out: NameField[] = [];
  for (const rdn of name.toJSON()) {
    for (const [type, values] of Object.entries(rdn)) {
      for (const value of values) out.push({ type, name: NAME_LABELS[type.toUpperCase()] ?? type, value });
    }
  }
  return out;
}

function signatureName(raw: unknown): string {
  const alg = raw as { name: string; hash?: webcrypto.Algorithm };
  const hash = alg.hash ? alg.hash.name.replace('-', '').toLowerCase() : '';
  if (alg.name === 'RSASSA-PKCS1-v1_5') return `${hash}WithRSAEncryption`;
  if (alg.name === 'ECDSA') return `ecdsa-with-${hash.toUpperCase()}`;
  if (alg.name === 'RSA-PSS') return `rsassaPss (${hash})`;
  return hash ? `${alg.name} (${hash})` : alg.name;
}

function extensionView(ext: x509.Extension): ExtensionView {
  let lines: string[];
  try {
    lines = ext.toString('text').split('\n');
  } catch {
    lines = [`${ext.type}:`, `  ${Buffer.from(ext.value).toString('hex')}`];
  }
  const name = (lines[0] ?? ext.type).replace(/:\s*(critical)?\s*$/, '').trim();
  return {
    oid: ext.type,
    name,
    critical: ext.critical,
    value: joinHexRuns(
      lines
        .slice(1)
        .map((l) => l.replace(/^ {2}/, ''))
        .filter((l) => l.trim() !== ''),
    ),
  };
}

const HEX_LINE = /^[0-9a-f]{2}(?: {1,2}[0-9a-f]{2})*$/i;

/**
 * The printer wraps a long hex value (a key identifier) after 16 bytes; the wrapped part is the same
 * value, not a second one, so it is put back on one line ("dc 49 … 84 00 65 9d cf"): a list joined with
 * ", " would otherwise show a comma inside the identifier.
 */
function joinHexRuns(lines: string[]): string[] {
  const out: string[] = [];
  let previousHex = false;
  for (const line of lines) {
    const hex = HEX_LINE.test(line.trim());
    const tidy = hex ? line.trim().replace(/ {2}/g, ' ') : line;
    if (hex && previousHex) out[out.length - 1] += ` ${tidy}`;
    else out.push(tidy);
    previousHex = hex;
  }
  return out;
}

/** "RSA (2048 bits)", "ECDSA P-256", and for keys a TLS server here cannot use: "Ed25519", "DSA (2048 bits)". */
function publicKeyText(key: KeyObject): string {
  try {
    const k = describeKey(key);
    return k.keyType === 'rsa' ? `RSA (${k.keySize} bits)` : `ECDSA ${k.curve}`;
  } catch {
    const type = key.asymmetricKeyType ?? 'unknown';
    const bits = key.asymmetricKeyDetails?.modulusLength;
    const name = type === 'ed25519' || type === 'ed448' ? `Ed${type.slice(2)}` : type.toUpperCase();
    return bits ? `${name} (${bits} bits)` : name;
  }
}

/** A view of an extension whose content does not decode: named, flagged, its bytes in hex. */
function malformedView(e: RawExtension): ExtensionView {
  return {
    oid: e.oid,
    name: EXTENSION_NAMES[e.oid] ?? e.oid,
    critical: e.critical,
    value: [
      'Malformed: this extension could not be decoded; clients refuse the certificate. Raw value:',
      e.value.toString('hex').replace(/(..)(?!$)/g, '$1:'),
    ],
  };
}

/**
 * Each extension is decoded on its own, so one malformed extension is flagged and the rest still shows
 * (as `openssl x509 -text` does). @peculiar/x509's certificate object refuses the whole certificate in
 * that case, so it is used only for the signature algorithm's name, when it loads.
 */
export function describeCertificate(der: Buffer): CertificateView {
  const raw = readCertificate(der);
  let cert: x509.X509Certificate | null;
  try {
    cert = new x509.X509Certificate(new Uint8Array(der));
  } catch {
    cert = null;
  }
  const node = new X509Certificate(der);
  const decoded = raw.extensions.map((e) => {
    try {
      return { raw: e, ext: x509.ExtensionFactory.create(new Uint8Array(e.der)) };
    } catch {
      return { raw: e, ext: null };
    }
  });
  const find = <T>(type: new (...args: never[]) => T): T | undefined =>
    decoded.find((d) => d.ext instanceof type)?.ext as T | undefined;
  const ku = find(x509.KeyUsagesExtension);
  const eku = find(x509.ExtendedKeyUsageExtension);
  const bc = find(x509.BasicConstraintsExtension);
  const sigOid = algorithmOid(raw.outerSignatureAlgorithm);
  return {
    version: raw.version,
    subjectFields: nameFields(cert?.subjectName ?? new x509.Name(new Uint8Array(raw.subject))),
    issuerFields: nameFields(cert?.issuerName ?? new x509.Name(new Uint8Array(raw.issuer))),
    signatureAlgorithm: cert
      ? signatureName(cert.signatureAlgorithm)
      : (SIGNATURE_ALGORITHMS[sigOid]?.name ?? sigOid),
    publicKey: publicKeyText(node.publicKey),
    keyUsage: ku ? KEY_USAGE_NAMES.filter(([flag]) => (ku.usages & flag) !== 0).map(([, n]) => n) : [],
    extendedKeyUsage: eku
      ? eku.usages.map((oid) => ({ oid: String(oid), name: EKU_NAMES[String(oid)] ?? String(oid) }))
      : [],
    basicConstraints: bc ? { ca: bc.ca, pathLength: bc.pathLength ?? null } : null,
    extensions: decoded.map(({ raw: e, ext }) => {
      if (!ext) return malformedView(e);
      const view = extensionView(ext);
      // Say these the way the Windows dialog does; the generic text is terse ("CA: true") or empty for CA:FALSE.
      if (ext === bc) {
        view.value = [
          `Subject Type=${bc.ca ? 'CA' : 'End Entity'}`,
          `Path Length Constraint=${bc.pathLength === undefined ? 'None' : bc.pathLength}`,
        ];
      } else if (ext === ku) {
        view.value = [
          KEY_USAGE_NAMES.filter(([flag]) => (ku.usages & flag) !== 0)
            .map(([, n]) => n)
            .join(', '),
        ];
      } else if (ext === eku) {
        view.value = eku.usages.map((oid) => `${EKU_NAMES[String(oid)] ?? 'Unknown usage'} (${String(oid)})`);
      }
      return view;
    }),
  };
}

export type ChainLinkStatus = 'ok' | 'expired' | 'not_yet_valid' | 'bad_signature' | 'issuer_missing';

export interface ChainLinkView {
  role: 'leaf' | 'intermediate' | 'root';
  subject: string;
  commonName: string | null;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  daysLeft: number;
  thumbprintSha1: string;
  fingerprintSha256: string;
  status: ChainLinkStatus;
  message: string;
  pem: string;
}

/**
 * The certification path, leaf first: each link checked for its dates and for its signature by the
 * next link (the root by itself). The last stored link with no issuer to verify against is
 * `issuer_missing` — the chain is incomplete, which is what Windows shows as "issuer not found".
 */
function verifiesItself(c: X509Certificate): boolean {
  try {
    return c.verify(c.publicKey);
  } catch {
    return false;
  }
}

export function describeChain(
  leaf: X509Certificate,
  intermediates: X509Certificate[],
  root: X509Certificate | null,
  now: Date,
): ChainLinkView[] {
  const certs = [leaf, ...intermediates, ...(root ? [root] : [])];
  return certs.map((c, i) => {
    const role = i === 0 ? 'leaf' : root && i === certs.length - 1 ? 'root' : 'intermediate';
    // checkIssued also wants keyCertSign, which a self-signed server certificate often lacks.
    const selfSigned = c.subject === c.issuer && verifiesItself(c);
    const issuer = certs[i + 1] ?? (selfSigned ? c : undefined);
    const { notBefore, notAfter } = certificateValidity(c);
    let status: ChainLinkStatus = 'ok';
    let message = 'This certificate is OK.';
    if (issuer && !c.verify(issuer.publicKey)) {
      status = 'bad_signature';
      message =
        'The signature does not verify with the next certificate in the path: the chain is out of order or wrong.';
    } else if (notAfter.getTime() < now.getTime()) {
      status = 'expired';
      message = `This certificate expired on ${notAfter.toISOString().slice(0, 10)}.`;
    } else if (notBefore.getTime() > now.getTime()) {
      status = 'not_yet_valid';
      message = `This certificate is not valid before ${notBefore.toISOString().slice(0, 10)}.`;
    } else if (!issuer) {
      status = 'issuer_missing';
      message =
        'The certificate that issued this one is not stored, so the path cannot be checked to a root.';
    }
    return {
      role,
      subject: oneLineDn(c.subject),
      commonName: commonNameOf(c.subject),
      issuer: oneLineDn(c.issuer),
      serialNumber: c.serialNumber.toUpperCase(),
      notBefore: notBefore.toISOString(),
      notAfter: notAfter.toISOString(),
      daysLeft: Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS),
      thumbprintSha1: thumbprintSha1(c),
      fingerprintSha256: fingerprintSha256(c),
      status,
      message,
      pem: c.toString(),
    };
  });
}

/** Subject fields and SANs → the query string of the CSR wizard (/csrs/new?…) for a renewal. */
export function renewUrl(input: {
  id: number;
  subjectFields: NameField[];
  subjectAltNames: string[];
  keyType: string;
  keySize: number | null;
  curve: string | null;
}): string {
  const p = new URLSearchParams();
  const first = (t: string) => input.subjectFields.find((f) => f.type.toUpperCase() === t)?.value;
  const map: [string, string][] = [
    ['CN', 'commonName'],
    ['O', 'organization'],
    ['OU', 'organizationalUnit'],
    ['L', 'locality'],
    ['ST', 'state'],
    ['C', 'country'],
  ];
  for (const [type, param] of map) {
    const v = first(type);
    if (v) p.set(param, v);
  }
  for (const san of input.subjectAltNames) p.append('san', san);
  p.set('keyType', input.keyType);
  if (input.keyType === 'rsa' && input.keySize) p.set('keySize', String(input.keySize));
  if (input.keyType === 'ec' && input.curve) p.set('curve', input.curve);
  p.set('renews', String(input.id));
  return `/csrs/new?${p.toString()}`;
}

import 'reflect-metadata';
import crypto, { type KeyObject, webcrypto } from 'node:crypto';
import type { CsrSubject, DecodedCsr } from '@certdesk/shared';
import { isIPv4, isIPv6 } from '@certdesk/shared';
import { CertificationRequest } from '@peculiar/asn1-csr';
import { AsnConvert } from '@peculiar/asn1-schema';
import * as x509 from '@peculiar/x509';
import { CertError } from './errors.js';

// WebCrypto signs in libuv's thread pool; for RSA keys this whole module runs in a compute/crypto-pool.ts
// worker (keygen.ts).
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CreateParams = Parameters<typeof x509.Pkcs10CertificateRequestGenerator.create>[0];

/** Subject attributes in the order openssl writes them (C, ST, L, O, OU, CN). */
const SUBJECT_ORDER: Array<[keyof CsrSubject, string]> = [
  ['country', 'C'],
  ['state', 'ST'],
  ['locality', 'L'],
  ['organization', 'O'],
  ['organizationalUnit', 'OU'],
  ['commonName', 'CN'],
];

/** The subject as a distinguished name string, most specific first (CN=…, O=…, C=…), RFC 4514 escaped. */
export function subjectDn(subject: CsrSubject): string {
  const esc = (v: string) =>
    v
      .replace(/([,+"\\<>;=])/g, '\\$1')
      .replace(/^([ #])/, '\\$1')
      .replace(/ $/, '\\ ');
  return SUBJECT_ORDER.filter(([k]) => subject[k])
    .reverse()
    .map(([k, short]) => `${short}=${esc(subject[k] as string)}`)
    .join(', ');
}

function signingParams(key: KeyObject): {
  importAlg: webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams;
  sign: CreateParams['signingAlgorithm'];
} {
  if (key.asymmetricKeyType === 'rsa') {
    const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    return { importAlg: alg, sign: alg };
  }
  const named = key.asymmetricKeyDetails?.namedCurve;
  const namedCurve = named === 'prime256v1' ? 'P-256' : named === 'secp384r1' ? 'P-384' : null;
  if (!namedCurve) throw new Error(`cannot sign a CSR with curve ${named}`);
  return {
    importAlg: { name: 'ECDSA', namedCurve },
    sign: { name: 'ECDSA', hash: 'SHA-256' } as CreateParams['signingAlgorithm'],
  };
}

/** A PKCS#10 request for `subject` + `subjectAltNames`, signed with SHA-256 by `privateKey`. */
export async function buildCsr(
  subject: CsrSubject,
  subjectAltNames: string[],
  privateKey: KeyObject,
): Promise<string> {
  const { importAlg, sign } = signingParams(privateKey);
  const subtle = webcrypto.subtle;
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
  const spki = crypto.createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const keys = {
    privateKey: await subtle.importKey('pkcs8', pkcs8, importAlg, false, ['sign']),
    publicKey: await subtle.importKey('spki', spki, importAlg, true, ['verify']),
  };
  // Country is PrintableString (RFC 5280); every other attribute UTF8String.
  const name = new x509.Name(
    SUBJECT_ORDER.filter(([k]) => subject[k]).map(([k, short]) => ({
      [short]: [
        short === 'C' ? { printableString: subject[k] as string } : { utf8String: subject[k] as string },
      ],
    })),
  );
  const sans = subjectAltNames.map((v) =>
    isIPv4(v) || isIPv6(v) ? ({ type: 'ip', value: v } as const) : ({ type: 'dns', value: v } as const),
  );
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name,
    keys: keys as unknown as CreateParams['keys'],
    signingAlgorithm: sign,
    // RFC 5280 4.2.1.6: with an empty subject the names live only in the SAN, which is then critical.
    extensions: sans.length
      ? [new x509.SubjectAlternativeNameExtension(sans, name.toArrayBuffer().byteLength <= 2)]
      : [],
  });
  // A text file ends with a newline: some tools (and `cat a.csr b.csr`) trip over one that does not.
  return `${csr.toString('pem').trimEnd()}\n`;
}

/** OpenSSL's short names of distinguished-name attributes, by OID (also used to print CRL issuers). */
export const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'serialNumber',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '2.5.4.9': 'street',
  '2.5.4.17': 'postalCode',
  '0.9.2342.19200300.100.1.25': 'DC',
};
const LONG_NAMES: Record<string, string> = {
  CN: 'Common name',
  C: 'Country',
  L: 'Locality',
  ST: 'State or province',
  O: 'Organization',
  OU: 'Organizational unit',
  serialNumber: 'Serial number',
  emailAddress: 'E-mail address',
  street: 'Street',
  postalCode: 'Postal code',
  DC: 'Domain component',
};
const EXTENSION_NAMES: Record<string, string> = {
  '2.5.29.17': 'Subject alternative name',
  '2.5.29.15': 'Key usage',
  '2.5.29.37': 'Extended key usage',
  '2.5.29.19': 'Basic constraints',
  '2.5.29.14': 'Subject key identifier',
  '1.3.6.1.5.5.7.1.24': 'TLS feature (OCSP must-staple)',
};
const SIGNATURE_NAMES: Record<string, string> = {
  'RSASSA-PKCS1-v1_5/SHA-1': 'sha1WithRSAEncryption',
  'RSASSA-PKCS1-v1_5/SHA-256': 'sha256WithRSAEncryption',
  'RSASSA-PKCS1-v1_5/SHA-384': 'sha384WithRSAEncryption',
  'RSASSA-PKCS1-v1_5/SHA-512': 'sha512WithRSAEncryption',
  'ECDSA/SHA-1': 'ecdsa-with-SHA1',
  'ECDSA/SHA-256': 'ecdsa-with-SHA256',
  'ECDSA/SHA-384': 'ecdsa-with-SHA384',
  'ECDSA/SHA-512': 'ecdsa-with-SHA512',
  'RSA-PSS/SHA-256': 'rsassaPss (SHA-256)',
};

const CSR_BLOCK =
  /-----BEGIN (NEW )?CERTIFICATE REQUEST-----[\s\S]*?-----END (NEW )?CERTIFICATE REQUEST-----/;

function notACsr(message: string): CertError {
  return new CertError('NOT_A_CSR', message);
}

/** PEM text, or base64 / raw DER bytes → the DER of a CSR. */
export function csrDer(input: string | Buffer): Buffer {
  const text = typeof input === 'string' ? input : input[0] === 0x30 ? null : input.toString('latin1');
  if (text === null) return input as Buffer;
  const block = CSR_BLOCK.exec(text);
  if (block) {
    return Buffer.from(block[0].replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  }
  const label = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text)?.[1];
  if (label?.endsWith('CERTIFICATE REQUEST')) {
    throw notACsr(
      'The certificate signing request is incomplete: its "-----END CERTIFICATE REQUEST-----" line is missing.',
    );
  }
  if (label) {
    const what = label.includes('PRIVATE KEY')
      ? 'a private key — never paste a private key into a web page you do not trust'
      : label === 'CERTIFICATE'
        ? 'a certificate'
        : `a PEM block labelled "${label}"`;
    throw notACsr(`This is not a certificate signing request: it looks like ${what}.`);
  }
  const compact = text.replace(/\s+/g, '');
  if (/^[A-Za-z0-9+/]+=*$/.test(compact) && compact.length > 40) return Buffer.from(compact, 'base64');
  throw notACsr(
    'This is not a certificate signing request: paste the text from "-----BEGIN CERTIFICATE REQUEST-----" to the END line.',
  );
}

/** Every field of a CSR, like `openssl req -text -verify`. Throws NOT_A_CSR for anything else. */
export async function decodeCsr(input: string | Buffer): Promise<DecodedCsr> {
  const der = csrDer(input);
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(new Uint8Array(der));
  } catch {
    throw notACsr('This is not a certificate signing request, or it is damaged or truncated.');
  }
  const subject = csr.subjectName.toJSON().flatMap((rdn) =>
    Object.entries(rdn).flatMap(([type, values]) => {
      // toJSON names well-known attributes by short name (CN, O, …) and the rest by OID.
      const short = SHORT_NAMES[type] ?? (type === 'E' ? 'emailAddress' : type);
      return values.map((value) => ({
        name: LONG_NAMES[short] ?? short,
        shortName: short,
        value: String(value),
      }));
    }),
  );
  const extensions = requestedExtensions(csr, der);
  const sanExt = extensions.find(
    (e): e is x509.SubjectAlternativeNameExtension => e instanceof x509.SubjectAlternativeNameExtension,
  );
  const subjectAltNames = sanExt
    ? sanExt.names.items.map((n) => ({
        type: n.type === 'ip' ? 'IP' : n.type === 'dns' ? 'DNS' : n.type,
        value: n.value,
      }))
    : [];
  let keyInfo: { keyType: string; keySize?: number; curve?: string };
  let publicKeySha256: string;
  try {
    const pub = crypto.createPublicKey({
      key: Buffer.from(csr.publicKey.rawData),
      format: 'der',
      type: 'spki',
    });
    publicKeySha256 = crypto.createHash('sha256').update(Buffer.from(csr.publicKey.rawData)).digest('hex');
    keyInfo = describePublic(pub);
  } catch {
    throw notACsr('The CSR carries a public key that cannot be read.');
  }
  let signatureAlgorithm = 'unknown';
  let signatureValid = false;
  try {
    const alg = csr.signatureAlgorithm as { name: string; hash?: { name: string } };
    const key = `${alg.name}/${alg.hash?.name ?? ''}`;
    signatureAlgorithm = SIGNATURE_NAMES[key] ?? key;
    signatureValid = await csr.verify();
  } catch {
    // An algorithm WebCrypto cannot check (e.g. MD5 or DSA) is reported as not verified, not as an error.
    signatureValid = false;
  }
  return {
    subject,
    subjectDn: subject
      .slice()
      .reverse()
      .map((a) => `${a.shortName}=${a.value}`)
      .join(', '),
    subjectAltNames,
    ...keyInfo,
    signatureAlgorithm,
    signatureValid,
    publicKeySha256,
    extensions: extensions.map((e) => ({
      oid: e.type,
      name: EXTENSION_NAMES[e.type] ?? e.type,
      critical: e.critical,
    })),
    pem: csr.toString('pem'),
  };
}

/**
 * The extensions a CSR asks for. The library parses every attribute to find them, and one attribute it
 * cannot read (a challengePassword of an odd string type, say) would make the whole CSR unreadable, where
 * openssl prints "unable to print attribute" and goes on: so only the extensionRequest attribute is read
 * here, and the others are left alone.
 */
function requestedExtensions(csr: x509.Pkcs10CertificateRequest, der: Buffer): x509.Extension[] {
  try {
    return csr.extensions;
  } catch {
    try {
      const info = AsnConvert.parse(der, CertificationRequest).certificationRequestInfo;
      const request = info.attributes.find((a) => a.type === EXTENSION_REQUEST_OID);
      return request ? new x509.ExtensionsAttribute(AsnConvert.serialize(request)).items : [];
    } catch {
      throw notACsr('The CSR asks for extensions that cannot be read: it is damaged.');
    }
  }
}

const EXTENSION_REQUEST_OID = '1.2.840.113549.1.9.14';

function describePublic(pub: KeyObject): { keyType: string; keySize?: number; curve?: string } {
  const d = pub.asymmetricKeyDetails ?? {};
  if (pub.asymmetricKeyType === 'rsa' || pub.asymmetricKeyType === 'rsa-pss') {
    return { keyType: 'rsa', keySize: d.modulusLength };
  }
  if (pub.asymmetricKeyType === 'ec') {
    const curves: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };
    return { keyType: 'ec', curve: curves[d.namedCurve ?? ''] ?? d.namedCurve };
  }
  return { keyType: pub.asymmetricKeyType ?? 'unknown' };
}

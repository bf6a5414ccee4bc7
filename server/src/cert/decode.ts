import type { KeyObject } from 'node:crypto';
import type {
  DecodedCertificate,
  DecodedCrl,
  DecodedCsr,
  DecodedFile,
  DecodedKeyInfo,
} from '@certdesk/shared';
import { decodeCrl, looksLikeCrl } from './crl.js';
import { decodeCsr } from './csr.js';
import { describeCertificate } from './describe.js';
import { detectFile } from './detect.js';
import { CertError } from './errors.js';
import { fingerprintSha256, parseSubjectAltNames, thumbprintSha1 } from './identity.js';
import { describeKey, spkiSha256 } from './key-info.js';
import type { KdfRunner } from './pbe.js';
import { looksLikeText, pemBlocks, toPem } from './pem.js';
import { readPkcs7 } from './pkcs7.js';
import { looksLikePkcs12, readPkcs12 } from './pkcs12.js';
import { inspectPrivateKey } from './private-key.js';
import { type CertInfo, certInfo, SIGNATURE_ALGORITHMS } from './x509-info.js';

/**
 * The "decode any file" tool (like `openssl x509|req|crl|pkcs12|pkey -text -noout`): what a file is and every
 * object in it, in readable fields. Read-only: keys are described (type, size, encrypted, which
 * certificate they belong to), never returned. Format detection and parsing are detect.ts, pkcs12.ts,
 * pkcs7.ts, csr.ts, crl.ts and private-key.ts; this module only walks what they find and words it.
 */

const DAY_MS = 86_400_000;

interface Found {
  certs: Array<{ info: CertInfo; friendlyName: string | null }>;
  csrs: DecodedCsr[];
  keys: Array<{ key: KeyObject | null; encrypted: boolean; friendlyName: string | null }>;
  crls: DecodedCrl[];
}

const FORMAT_NAMES: Record<string, string> = {
  'pem-certificate': 'PEM certificate',
  'pem-bundle': 'PEM bundle',
  'der-certificate': 'DER certificate (binary .cer/.crt)',
  pkcs7: 'PKCS#7 certificate bundle (.p7b)',
  pkcs12: 'PKCS#12 file (.pfx/.p12)',
  'private-key': 'Private key',
  csr: 'Certificate signing request (CSR)',
  crl: 'Certificate revocation list (CRL)',
};

const NOTHING: Found = { certs: [], csrs: [], keys: [], crls: [] };

const isPassphraseMissing = (err: unknown) =>
  err instanceof CertError && err.code === 'KEY_PASSPHRASE_REQUIRED';

/** A key entry; an encrypted key without its passphrase is listed as locked rather than refused. */
async function readKey(
  data: string | Buffer,
  password: string,
  kdf: KdfRunner,
): Promise<Found['keys'][number]> {
  try {
    const r = await inspectPrivateKey(data, password || undefined, kdf, { anyKeyType: true });
    return { key: r.key, encrypted: r.encrypted, friendlyName: null };
  } catch (err) {
    if (isPassphraseMissing(err)) return { key: null, encrypted: true, friendlyName: null };
    throw err;
  }
}

/** Text with PEM blocks: walked block by block so CSRs and locked keys are shown, not refused. */
async function walkPem(
  name: string,
  text: string,
  password: string,
  kdf: KdfRunner,
): Promise<{ found: Found; pkcs7Only: boolean } | null> {
  const found: Found = { certs: [], csrs: [], keys: [], crls: [] };
  let pkcs7 = 0;
  let other = 0;
  for (const b of pemBlocks(text)) {
    if (b.label === 'CERTIFICATE' || b.label === 'X509 CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE') {
      found.certs.push({ info: certInfo(b.der, 'pasted PEM'), friendlyName: null });
    } else if (b.label === 'PKCS7' || b.label === 'CMS') {
      pkcs7++;
      for (const der of readPkcs7(b.der))
        found.certs.push({ info: certInfo(der, 'PKCS#7'), friendlyName: null });
    } else if (b.label.endsWith('CERTIFICATE REQUEST')) {
      found.csrs.push(await decodeCsr(b.text));
    } else if (b.label.endsWith('PRIVATE KEY')) {
      // The block text keeps a legacy encrypted key's Proc-Type/DEK-Info headers.
      found.keys.push(await readKey(b.text, password, kdf));
    } else if (b.label === 'X509 CRL') {
      found.crls.push(decodeCrl(b.der, name));
    } else {
      other++;
    }
  }
  if (!found.certs.length && !found.csrs.length && !found.keys.length && !found.crls.length) return null;
  return {
    found,
    pkcs7Only:
      pkcs7 > 0 &&
      other === 0 &&
      pkcs7 === 1 &&
      !found.csrs.length &&
      !found.keys.length &&
      !found.crls.length,
  };
}

/** `kdf` runs the password-based derivations of an encrypted PFX or key (the worker pool in production). */
export async function decodeAnyFile(
  name: string,
  data: Buffer,
  password: string,
  kdf: KdfRunner,
): Promise<DecodedFile> {
  if (looksLikeText(data) && data.includes('-----BEGIN ')) {
    const walked = await walkPem(name, data.toString('utf8'), password, kdf);
    if (walked) {
      const { found } = walked;
      const kinds = [found.certs.length, found.csrs.length, found.keys.length, found.crls.length].filter(
        (n) => n > 0,
      ).length;
      const format = walked.pkcs7Only
        ? 'pkcs7'
        : kinds === 1 && found.crls.length === 1
          ? 'crl'
          : kinds === 1 && found.csrs.length
            ? 'csr'
            : kinds === 1 && found.keys.length === 1
              ? 'private-key'
              : kinds === 1 && found.certs.length === 1
                ? 'pem-certificate'
                : 'pem-bundle';
      return result(format, 'PEM', found);
    }
    // Nothing readable: detect.ts says what the text is (CRL, public key, cut-off block…).
  }
  if (!looksLikeText(data) && looksLikePkcs12(data)) {
    const p12 = await readPkcs12(data, password, kdf);
    return result('pkcs12', 'DER', {
      ...NOTHING,
      certs: p12.certs.map((c) => ({ info: certInfo(c.der, name), friendlyName: c.friendlyName })),
      keys: p12.keys.map((k) => ({ key: k.key, encrypted: true, friendlyName: k.friendlyName })),
    });
  }
  if (!looksLikeText(data) && looksLikeCrl(data))
    return result('crl', 'DER', { ...NOTHING, crls: [decodeCrl(data, name)] });
  try {
    const d = await detectFile({ name, data, role: 'file' }, password, kdf);
    const certs = d.certs.map((c) => ({ info: c.info, friendlyName: c.friendlyName }));
    if (d.format === 'private-key')
      return result('private-key', 'DER', {
        ...NOTHING,
        certs,
        keys: [await readKey(derOf(data), password, kdf)],
      });
    return result(
      d.format === 'pem' ? (certs.length === 1 ? 'pem-certificate' : 'pem-bundle') : d.format,
      'DER',
      { ...NOTHING, certs, keys: d.keys.map((k) => ({ key: k.key, encrypted: false, friendlyName: null })) },
    );
  } catch (err) {
    if (isPassphraseMissing(err)) {
      return result('private-key', 'DER', {
        ...NOTHING,
        keys: [{ key: null, encrypted: true, friendlyName: null }],
      });
    }
    // Import refuses DSA, Ed25519… keys; the decode tool shows them as openssl does.
    if (err instanceof CertError && err.code === 'UNSUPPORTED_KEY_TYPE') {
      return result('private-key', 'DER', { ...NOTHING, keys: [await readKey(derOf(data), password, kdf)] });
    }
    // detect.ts refuses a CSR for import, with a sentence saying so; here a CSR is welcome.
    if (
      err instanceof CertError &&
      err.code === 'UNRECOGNIZED_FILE' &&
      err.message.includes('certificate signing request')
    ) {
      return result('csr', 'DER', { ...NOTHING, csrs: [await decodeCsr(derOf(data))] });
    }
    throw err;
  }
}

/** Raw DER, or base64 text without PEM armour, as bytes. */
function derOf(data: Buffer): Buffer {
  if (!looksLikeText(data)) return data;
  return Buffer.from(data.toString('latin1').replace(/\s+/g, ''), 'base64');
}

function result(format: string, encoding: 'PEM' | 'DER', found: Found): DecodedFile {
  const keys = found.keys.map((k) => describeFoundKey(k, found.certs));
  const certificates = found.certs.map((c) => describeFoundCert(c.info, c.friendlyName, found.keys));
  let formatName = FORMAT_NAMES[format] ?? format;
  if (['private-key', 'csr', 'pkcs7', 'crl'].includes(format)) formatName += ` (${encoding})`;
  return {
    format,
    formatName,
    summary: summary(certificates, found.csrs, keys, found.crls),
    certificates,
    csrs: found.csrs,
    keys,
    crls: found.crls,
  };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function summary(
  certs: DecodedCertificate[],
  csrs: DecodedCsr[],
  keys: DecodedKeyInfo[],
  crls: DecodedCrl[],
): string {
  const parts: string[] = [];
  for (const crl of crls)
    parts.push(
      `a certificate revocation list from ${crl.issuer || 'an unnamed issuer'} revoking ${plural(crl.revokedCount, 'certificate')}`,
    );
  if (certs.length) parts.push(plural(certs.length, 'certificate'));
  if (csrs.length) parts.push(plural(csrs.length, 'certificate signing request'));
  if (keys.length) {
    const locked = keys.filter((k) => !k.decrypted).length;
    const matched = keys.filter((k) => k.matchesCertificate).length;
    let s = plural(keys.length, 'private key');
    if (locked) s += ` (${locked} encrypted: enter the passphrase to read ${locked === 1 ? 'it' : 'them'})`;
    else if (certs.length)
      s +=
        matched === keys.length
          ? ' that matches its certificate'
          : `, ${matched} matching a certificate here`;
    parts.push(s);
  }
  return `Holds ${parts.join(', ')}.`;
}

function describeFoundKey(k: Found['keys'][number], certs: Found['certs']): DecodedKeyInfo {
  if (!k.key) {
    return {
      keyType: 'unknown',
      encrypted: true,
      decrypted: false,
      friendlyName: k.friendlyName,
      publicKeySha256: null,
      matchesCertificate: null,
    };
  }
  const spki = spkiSha256(k.key);
  let info: { keyType: string; keySize?: number; curve?: string };
  try {
    const d = describeKey(k.key);
    info = {
      keyType: d.keyType,
      ...(d.keySize ? { keySize: d.keySize } : {}),
      ...(d.curve ? { curve: d.curve } : {}),
    };
  } catch {
    // Keys certdesk cannot serve (DSA, Ed25519, X25519…) are still described, as openssl does.
    const size = k.key.asymmetricKeyDetails?.modulusLength;
    info = { keyType: k.key.asymmetricKeyType ?? 'unknown', ...(size ? { keySize: size } : {}) };
  }
  const match = certs.find((c) => c.info.spki === spki);
  return {
    ...info,
    encrypted: k.encrypted,
    decrypted: true,
    friendlyName: k.friendlyName,
    publicKeySha256: spki,
    matchesCertificate: match ? match.info.fingerprint : null,
  };
}

const oneLine = (dn: string) => dn.split('\n').filter(Boolean).reverse().join(', ');

function describeFoundCert(
  info: CertInfo,
  friendlyName: string | null,
  keys: Found['keys'],
): DecodedCertificate {
  const hasPrivateKey = keys.some((k) => k.key && spkiSha256(k.key) === info.spki);
  const base = {
    subject: oneLine(info.subject),
    issuer: oneLine(info.issuer),
    commonName: info.commonName,
    serialNumber: info.serialNumber,
    notBefore: info.notBefore.toISOString(),
    notAfter: info.notAfter.toISOString(),
    daysLeft: Math.floor((info.notAfter.getTime() - Date.now()) / DAY_MS),
    subjectAltNames: parseSubjectAltNames(info.x509),
    isCa: info.isCa,
    selfSigned: info.selfSigned,
    thumbprintSha1: thumbprintSha1(info.x509),
    fingerprintSha256: fingerprintSha256(info.x509),
    friendlyName,
    hasPrivateKey,
    pem: toPem('CERTIFICATE', info.der),
  };
  try {
    const v = describeCertificate(info.der);
    return {
      ...base,
      subjectFields: v.subjectFields,
      issuerFields: v.issuerFields,
      publicKey: v.publicKey,
      signatureAlgorithm: v.signatureAlgorithm,
      extensions: v.extensions,
    };
  } catch {
    // A key type the console does not use (DSA, Ed25519…): still show what Node can read.
    const fields = (dn: string) =>
      dn
        .split('\n')
        .filter(Boolean)
        .map((l) => {
          const i = l.indexOf('=');
          return { type: l.slice(0, i), name: l.slice(0, i), value: l.slice(i + 1) };
        });
    return {
      ...base,
      subjectFields: fields(info.subject),
      issuerFields: fields(info.issuer),
      publicKey: info.publicKey.asymmetricKeyType ?? 'unknown',
      signatureAlgorithm: SIGNATURE_ALGORITHMS[info.signatureAlgorithm]?.name ?? info.signatureAlgorithm,
      extensions: [],
    };
  }
}

import crypto, { type KeyObject } from 'node:crypto';
import { type ContentInfo, EncryptedContentInfo } from '@peculiar/asn1-cms';
import { AuthenticatedSafe, CertBag, PFX, SafeContents } from '@peculiar/asn1-pfx';
import { EncryptedPrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import * as asn1js from 'asn1js';
import { CertError } from './errors.js';
import { BadDecrypt, bmpPassword, damaged, hashByOid, pbeDecrypt, pkcs12Kdf, WorkBudget } from './pbe.js';
import { checkType } from './private-key.js';

/**
 * PKCS#12 / PFX reading: OpenSSL 3 defaults (PBES2 AES-256, SHA-256 MAC), legacy (3DES or RC2-40,
 * SHA-1 MAC), no-MAC files, empty and non-ASCII passwords, RSA and EC keys, several certificates and
 * friendly names. Limits: the upload is ≤ 1 MiB (multipart limit), at most MAX_BAGS bags, and every
 * key derivation is checked against PFX_WORK_LIMIT (pbe.ts) before it runs.
 */

export interface Pkcs12Cert {
  der: Buffer;
  friendlyName: string | null;
  localKeyId: string | null;
}
export interface Pkcs12Key {
  key: KeyObject;
  friendlyName: string | null;
  localKeyId: string | null;
}
export interface Pkcs12Content {
  certs: Pkcs12Cert[];
  keys: Pkcs12Key[];
}

const MAX_BAGS = 64;
const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
};

function wrongPassword(given: boolean): CertError {
  return given
    ? new CertError('WRONG_PASSWORD', 'The PFX password is wrong: the file could not be decrypted.')
    : new CertError(
        'WRONG_PASSWORD',
        'This PFX is protected by a password. Enter it in the password field.',
        {
          passwordRequired: true,
        },
      );
}

/** True when the DER looks like a PFX (version 3, then a ContentInfo): cheap, for format detection. */
export function looksLikePkcs12(der: Buffer): boolean {
  try {
    const pfx = AsnConvert.parse(der, PFX);
    return pfx.version === 3 && typeof pfx.authSafe?.contentType === 'string';
  } catch {
    return false;
  }
}

function octetStringContent(content: ArrayBuffer): Buffer {
  const os = AsnConvert.parse(content, OctetString);
  return Buffer.from(os.buffer);
}

/** The content of an OCTET STRING that may be BER-constructed (chunked), as Windows writes it. */
function berOctets(content: ArrayBuffer): Buffer {
  const r = asn1js.fromBER(content);
  if (r.offset === -1 || !(r.result instanceof asn1js.OctetString)) throw damaged('expected data');
  // getValue() joins the chunks of a constructed (BER) OCTET STRING.
  return Buffer.from(r.result.getValue());
}

function verifyMac(pfx: PFX, authSafe: Buffer, password: string, budget: WorkBudget): boolean {
  const mac = pfx.macData;
  const hash = hashByOid(mac.mac.digestAlgorithm.algorithm);
  const salt = Buffer.from(mac.macSalt.buffer);
  const expected = Buffer.from(mac.mac.digest.buffer);
  const iterations = mac.iterations ?? 1;
  // OpenSSL writes an empty password either as "" (two zero bytes) or as no password at all: try both.
  const candidates = password === '' ? ['', null] : [password];
  for (const p of candidates) {
    budget.spend(iterations, 30);
    const key = pkcs12Kdf(hash.name, hash.u, hash.v, bmpPassword(p), salt, 3, iterations, hash.u);
    const got = crypto.createHmac(hash.name, key).update(authSafe).digest();
    if (got.length === expected.length && crypto.timingSafeEqual(got, expected)) return true;
  }
  return false;
}

/**
 * Reads a PFX. `password` may be empty. Throws CertError: WRONG_PASSWORD, PFX_DAMAGED,
 * PFX_UNSUPPORTED, PFX_TOO_COSTLY.
 */
export async function readPkcs12(der: Buffer, password: string): Promise<Pkcs12Content> {
  try {
    return await readPkcs12Unsafe(der, password);
  } catch (err) {
    if (err instanceof CertError) throw err;
    if (err instanceof BadDecrypt) throw wrongPassword(password !== '');
    // Anything the ASN.1 libraries throw on a hostile file (TypeError, RangeError…) is a damaged file.
    throw damaged('unreadable structure');
  }
}

async function readPkcs12Unsafe(der: Buffer, password: string): Promise<Pkcs12Content> {
  const budget = new WorkBudget();
  const pfx = AsnConvert.parse(der, PFX);
  if (pfx.version !== 3) throw damaged(`version ${pfx.version}`);
  if (pfx.authSafe.contentType !== OID.data) {
    throw new CertError(
      'PFX_UNSUPPORTED',
      'This PFX is protected by a public-key signature instead of a password; certdesk cannot read it.',
    );
  }
  const authSafeDer = berOctets(pfx.authSafe.content);
  // openssl -nomac files have no macData (asn1-schema still builds an empty object).
  const hasMac = Boolean(pfx.macData?.mac?.digestAlgorithm?.algorithm);
  if (hasMac && !verifyMac(pfx, authSafeDer, password, budget)) throw wrongPassword(password !== '');

  const safe = AsnConvert.parse(authSafeDer, AuthenticatedSafe);
  const out: Pkcs12Content = { certs: [], keys: [] };
  let bags = 0;
  for (const ci of safe) {
    const contents = AsnConvert.parse(await safeContentsDer(ci, password, budget), SafeContents);
    for (const bag of contents) {
      if (++bags > MAX_BAGS) throw damaged(`more than ${MAX_BAGS} items`);
      const attrs = attributes(bag.bagAttributes);
      if (bag.bagId === OID.certBag) {
        const cb = AsnConvert.parse(bag.bagValue, CertBag);
        if (cb.certId !== OID.x509Certificate) continue; // SDSI certificates: nobody uses them
        out.certs.push({ der: octetStringContent(cb.certValue), ...attrs });
      } else if (bag.bagId === OID.shroudedKeyBag) {
        const epki = AsnConvert.parse(bag.bagValue, EncryptedPrivateKeyInfo);
        const alg = epki.encryptionAlgorithm;
        const pkcs8 = await pbeDecrypt(
          alg.algorithm,
          alg.parameters,
          Buffer.from(epki.encryptedData.buffer),
          password,
          budget,
        );
        out.keys.push({ key: pkcs8Key(pkcs8), ...attrs });
      } else if (bag.bagId === OID.keyBag) {
        out.keys.push({ key: pkcs8Key(Buffer.from(bag.bagValue)), ...attrs });
      }
      // CRL and secret bags carry nothing an import needs.
    }
  }
  return out;
}

async function safeContentsDer(ci: ContentInfo, password: string, budget: WorkBudget): Promise<Buffer> {
  if (ci.contentType === OID.data) return berOctets(ci.content);
  if (ci.contentType === OID.encryptedData) {
    // EncryptedData ::= SEQUENCE { version, EncryptedContentInfo }
    const r = asn1js.fromBER(ci.content);
    if (r.offset === -1 || !(r.result instanceof asn1js.Sequence)) throw damaged('encrypted part');
    const eciNode = r.result.valueBlock.value[1];
    if (!eciNode) throw damaged('encrypted part');
    const eci = AsnConvert.parse(eciNode.toBER(), EncryptedContentInfo);
    const enc = eci.encryptedContent;
    const data = enc?.value
      ? Buffer.from(enc.value.buffer)
      : Buffer.concat((enc?.constructedValue ?? []).map((o) => Buffer.from(o.buffer)));
    const alg = eci.contentEncryptionAlgorithm;
    return pbeDecrypt(alg.algorithm, alg.parameters, data, password, budget);
  }
  throw new CertError(
    'PFX_UNSUPPORTED',
    'This PFX holds a part encrypted to a public key; certdesk cannot read it.',
  );
}

function pkcs8Key(der: Buffer): KeyObject {
  let key: KeyObject;
  try {
    key = crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    // Decryption "succeeded" by padding luck but produced garbage: the password is wrong.
    throw new BadDecrypt();
  }
  // Same rule as PEM/DER keys: an Ed25519 or DSA key inside a PFX is refused, not a crash later.
  return checkType(key);
}

function attributes(attrs: { attrId: string; attrValues: ArrayBuffer[] }[] | undefined): {
  friendlyName: string | null;
  localKeyId: string | null;
} {
  let friendlyName: string | null = null;
  let localKeyId: string | null = null;
  for (const a of attrs ?? []) {
    const v = a.attrValues[0];
    if (!v) continue;
    const r = asn1js.fromBER(v);
    if (r.offset === -1) continue;
    if (a.attrId === OID.friendlyName && r.result instanceof asn1js.BmpString)
      friendlyName = r.result.getValue();
    if (a.attrId === OID.localKeyId && r.result instanceof asn1js.OctetString) {
      localKeyId = Buffer.from(r.result.getValue()).toString('hex');
    }
  }
  return { friendlyName, localKeyId };
}

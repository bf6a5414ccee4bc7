import crypto, { type KeyObject } from 'node:crypto';
import { type ContentInfo, id_data, id_encryptedData } from '@peculiar/asn1-cms';
import {
  AuthenticatedSafe,
  CertBag,
  id_certBag,
  id_keyBag,
  id_pkcs8ShroudedKeyBag,
  id_x509Certificate,
  PFX,
  type SafeBag,
  SafeContents,
} from '@peculiar/asn1-pfx';
import { EncryptedPrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import * as asn1js from 'asn1js';
import { CertError } from './errors.js';
import { PKCS12_HASHES } from './kdf.js';
import {
  BadDecrypt,
  checkCost,
  checkKdfCost,
  count,
  KDF_LIMITS,
  KDF_TIME_LIMIT_MS,
  KdfFailed,
  type KdfRunner,
  kdfWork,
  macKeyRequest,
  type Pbe,
  parsePbe,
  pbeDecrypt,
} from './pbe.js';
import { ALG, CmsEncryptedData, MAC_DIGESTS } from './pkcs-asn1.js';
import { checkType, keyFromPkcs8 } from './private-key.js';

/**
 * PKCS#12 / PFX reading, for every file OpenSSL 3 reads with -legacy: PBES2 (PBKDF2 or scrypt, AES…,
 * DES, RC2), PKCS#12 PBE (3DES, RC2, RC4) and PKCS#5 v1.5 PBES1 (MD5 or SHA-1 with DES or RC2); MACs with SHA-1, SHA-2, SHA-3, BLAKE2 or none; a password that is
 * empty or absent (NULL); key-only and certificate-only files. The file's key-derivation parameters are
 * checked before any derivation runs, and derivations run in the caller's KdfRunner (the
 * worker pool, compute/crypto-pool.ts).
 * Limits: the upload is ≤ 1 MiB (multipart limit), at most MAX_BAGS bags, PFX_WORK_LIMIT in all.
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

/** Key-derivation iterations one file may ask for in all (MAC, certificates, keys). */
export const PFX_WORK_LIMIT = 20_000_000;

const n = (x: number) => x.toLocaleString('en');
/** The limits in one sentence, for the API description. */
export const KDF_LIMITS_SENTENCE = `Password-based key derivation (PFX and encrypted keys): at most ${n(KDF_LIMITS.pbkdf2Iterations)} PBKDF2, ${n(KDF_LIMITS.pkcs12Iterations)} PKCS#12 or ${n(KDF_LIMITS.pbkdf1Iterations)} PBKDF1 (PBES1) iterations, scrypt N·r·p ${n(KDF_LIMITS.scryptWork)} (422 KDF_TOO_COSTLY), ${n(PFX_WORK_LIMIT)} iterations per PFX in all (422 PFX_TOO_COSTLY); each derivation runs in a worker thread for at most ${KDF_TIME_LIMIT_MS / 1000} s (422 KDF_TIMEOUT).`;

function damaged(detail: string): CertError {
  return new CertError('PFX_DAMAGED', `The PFX/PKCS#12 file is damaged or truncated (${detail}).`);
}

function unsupported(sentence: string): CertError {
  return new CertError('PFX_UNSUPPORTED', sentence);
}

function wrongPassword(given: boolean, why: string): CertError {
  return given
    ? new CertError('WRONG_PASSWORD', `The PFX password is wrong: ${why}.`)
    : new CertError(
        'WRONG_PASSWORD',
        'This PFX is protected by a password. Enter it in the password field.',
        { passwordRequired: true },
      );
}

function tooCostly(asked: number): CertError {
  return new CertError(
    'PFX_TOO_COSTLY',
    `This PFX asks for ${asked.toLocaleString('en')} key-derivation iterations in all (integrity check, certificates and keys); certdesk reads files asking for up to ${PFX_WORK_LIMIT.toLocaleString('en')} (a Firefox export asks for about 1,800,000) so that one file cannot tie up the server. Re-export it with default settings.`,
    { limit: PFX_WORK_LIMIT },
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

/**
 * Reads a PFX. `password` may be empty (then an absent password is tried too, as OpenSSL does).
 * Throws CertError 422: WRONG_PASSWORD, PFX_DAMAGED, PFX_UNSUPPORTED, UNSUPPORTED_ENCRYPTION,
 * KDF_TOO_COSTLY, PFX_TOO_COSTLY, KDF_TIMEOUT (and 503 KDF_BUSY).
 */
export async function readPkcs12(der: Buffer, password: string, kdf: KdfRunner): Promise<Pkcs12Content> {
  try {
    return await new Pkcs12Reader(password, kdf).read(der);
  } catch (err) {
    if (err instanceof CertError) throw err;
    if (err instanceof BadDecrypt)
      throw wrongPassword(password !== '', 'the file could not be decrypted with it');
    if (err instanceof KdfFailed) throw damaged('key-derivation parameters');
    // Anything the ASN.1 libraries throw on a hostile file (TypeError, RangeError…) is a damaged file.
    throw damaged('unreadable structure');
  }
}

type Part = { kind: 'plain'; bags: SafeBag[] } | { kind: 'encrypted'; pbe: Pbe; data: Buffer };

class Pkcs12Reader {
  private spent = 0;
  /** The password the MAC proved, or the candidates to try when there is no MAC. */
  private passwords: (string | null)[];
  private macVerified = false;
  private bags = 0;

  constructor(
    private readonly password: string,
    private readonly kdf: KdfRunner,
  ) {
    // OpenSSL writes an empty password either as "" (two zero bytes) or as no password at all.
    this.passwords = password === '' ? ['', null] : [password];
  }

  async read(der: Buffer): Promise<Pkcs12Content> {
    const pfx = AsnConvert.parse(der, PFX);
    if (pfx.version !== 3) throw damaged(`version ${pfx.version}`);
    if (pfx.authSafe.contentType !== id_data) {
      throw unsupported(
        'This PFX is protected by a public-key signature instead of a password; certdesk cannot read it.',
      );
    }
    const authSafeDer = berOctets(pfx.authSafe.content);
    const parts = AsnConvert.parse(authSafeDer, AuthenticatedSafe).map((ci) => this.part(ci));

    // Every parameter is known before any derivation: refuse the unreadable and the absurd first.
    const mac = pfx.macData?.mac?.digestAlgorithm?.algorithm ? pfx.macData : null;
    const macHash = mac ? macDigest(mac.mac.digestAlgorithm.algorithm) : null;
    const macIterations = mac ? count(mac.iterations, 'MAC iterations') : 0;
    if (mac)
      checkCost('MAC iterations', macIterations, KDF_LIMITS.pkcs12Iterations, 'Java keytool uses 100,000');
    const pbes = parts.flatMap((p) => (p.kind === 'encrypted' ? [p.pbe] : p.bags.flatMap(shroudedPbe)));
    for (const pbe of pbes) checkKdfCost(pbe);
    const asked = pbes.reduce((sum, pbe) => sum + kdfWork(pbe), macIterations);
    if (asked > PFX_WORK_LIMIT) throw tooCostly(asked);

    if (mac && macHash) {
      const salt = Buffer.from(mac.macSalt.buffer);
      const expected = Buffer.from(mac.mac.digest.buffer);
      const proved = await this.verifyMac(macHash, salt, macIterations, authSafeDer, expected);
      if (proved === undefined)
        throw wrongPassword(this.password !== '', 'the file’s integrity check (MAC) does not match it');
      this.passwords = [proved];
      this.macVerified = true;
    }

    const out: Pkcs12Content = { certs: [], keys: [] };
    for (const part of parts) {
      const bags =
        part.kind === 'plain'
          ? part.bags
          : await this.decrypt(part.pbe, part.data, (plain) => [...AsnConvert.parse(plain, SafeContents)]);
      if (part.kind === 'encrypted') this.count(bags.length);
      for (const bag of bags) await this.bag(bag, out);
    }
    return out;
  }

  private part(ci: ContentInfo): Part {
    if (ci.contentType === id_data) {
      const bags = [...AsnConvert.parse(berOctets(ci.content), SafeContents)];
      this.count(bags.length);
      return { kind: 'plain', bags };
    }
    if (ci.contentType === id_encryptedData) {
      const eci = AsnConvert.parse(ci.content, CmsEncryptedData).encryptedContentInfo;
      const enc = eci.encryptedContent;
      const data = enc?.value
        ? Buffer.from(enc.value.buffer)
        : Buffer.concat((enc?.constructedValue ?? []).map((o) => Buffer.from(o.buffer)));
      return { kind: 'encrypted', pbe: parsePbe(eci.contentEncryptionAlgorithm), data };
    }
    throw unsupported('This PFX holds a part encrypted to a public key; certdesk cannot read it.');
  }

  private count(n: number): void {
    this.bags += n;
    if (this.bags > MAX_BAGS) throw damaged(`more than ${MAX_BAGS} items`);
  }

  private spend(work: number): void {
    // Trying both spellings of an empty password may double the declared work, never more.
    this.spent += work;
    if (this.spent > 2 * PFX_WORK_LIMIT) throw tooCostly(this.spent);
  }

  private async verifyMac(
    hash: string,
    salt: Buffer,
    iterations: number,
    authSafe: Buffer,
    expected: Buffer,
  ): Promise<string | null | undefined> {
    for (const candidate of this.passwords) {
      this.spend(iterations);
      const [key] = await this.kdf.run([macKeyRequest(hash, candidate, salt, iterations)]);
      const got = crypto
        .createHmac(hash, key as Buffer)
        .update(authSafe)
        .digest();
      if (got.length === expected.length && crypto.timingSafeEqual(got, expected)) return candidate;
    }
    return undefined;
  }

  /**
   * Decrypts with the proven password (or each candidate); `accept` parses the plaintext, and its
   * failure counts as a wrong password, since a wrong key can still end in valid-looking padding.
   */
  private async decrypt<T>(pbe: Pbe, data: Buffer, accept: (plain: Buffer) => T): Promise<T> {
    for (const candidate of this.passwords) {
      // PBES2 and PBES1 take the password as UTF-8: "" and no password are the same bytes.
      if (candidate === null && pbe.scheme !== 'pkcs12' && this.passwords.includes('')) continue;
      this.spend(kdfWork(pbe));
      let plain: Buffer;
      try {
        plain = await pbeDecrypt(pbe, data, candidate, this.kdf);
      } catch (err) {
        if (err instanceof BadDecrypt) continue;
        throw err;
      }
      try {
        return accept(plain);
      } catch (err) {
        if (err instanceof CertError) throw err;
      }
    }
    if (this.macVerified) {
      // The MAC covers every byte, so the content is intact: it was encrypted under another password.
      throw new CertError(
        'WRONG_PASSWORD',
        'The password matches the PFX’s integrity check but not its encrypted content: the file was made with a separate encryption password (openssl -twopass). Enter that password.',
      );
    }
    throw new BadDecrypt();
  }

  private async bag(bag: SafeBag, out: Pkcs12Content): Promise<void> {
    const attrs = attributes(bag.bagAttributes);
    if (bag.bagId === id_certBag) {
      const cb = AsnConvert.parse(bag.bagValue, CertBag);
      if (cb.certId !== id_x509Certificate) return; // SDSI certificates: nobody uses them
      out.certs.push({ der: Buffer.from(AsnConvert.parse(cb.certValue, OctetString).buffer), ...attrs });
    } else if (bag.bagId === id_pkcs8ShroudedKeyBag) {
      const epki = AsnConvert.parse(bag.bagValue, EncryptedPrivateKeyInfo);
      const pbe = parsePbe(epki.encryptionAlgorithm);
      checkKdfCost(pbe); // a key found inside an encrypted part was not visible to the first check
      const key = await this.decrypt(pbe, Buffer.from(epki.encryptedData.buffer), keyFromPkcs8);
      out.keys.push({ key: checkType(key), ...attrs });
    } else if (bag.bagId === id_keyBag) {
      out.keys.push({ key: checkType(plainKey(Buffer.from(bag.bagValue))), ...attrs });
    }
    // CRL and secret bags carry nothing an import needs.
  }
}

function macDigest(oid: string): string {
  const hash = MAC_DIGESTS[oid];
  if (!hash || !PKCS12_HASHES[hash] || !crypto.getHashes().includes(hash)) {
    throw unsupported(
      `This PFX’s integrity check (MAC) uses ${hash ? hash.toUpperCase() : `an unknown algorithm (${oid})`}, which certdesk cannot compute.`,
    );
  }
  return hash;
}

/** An unencrypted key bag: no password involved, so garbage is damage. */
function plainKey(der: Buffer): KeyObject {
  try {
    return keyFromPkcs8(der);
  } catch (err) {
    if (err instanceof BadDecrypt) throw damaged('a private key inside cannot be read');
    throw err;
  }
}

function shroudedPbe(bag: SafeBag): Pbe[] {
  if (bag.bagId !== id_pkcs8ShroudedKeyBag) return [];
  return [parsePbe(AsnConvert.parse(bag.bagValue, EncryptedPrivateKeyInfo).encryptionAlgorithm)];
}

/** The content of an OCTET STRING that may be BER-constructed (chunked), as Windows writes it. */
function berOctets(content: ArrayBuffer): Buffer {
  const r = asn1js.fromBER(content);
  if (r.offset === -1 || !(r.result instanceof asn1js.OctetString)) throw damaged('expected data');
  // getValue() joins the chunks of a constructed (BER) OCTET STRING.
  return Buffer.from(r.result.getValue());
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
    if (a.attrId === ALG.friendlyName && r.result instanceof asn1js.BmpString)
      friendlyName = r.result.getValue();
    if (a.attrId === ALG.localKeyId && r.result instanceof asn1js.OctetString) {
      localKeyId = Buffer.from(r.result.getValue()).toString('hex');
    }
  }
  return { friendlyName, localKeyId };
}

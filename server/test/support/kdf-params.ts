import { ContentInfo, id_data } from '@peculiar/asn1-cms';
import { AuthenticatedSafe, id_pkcs8ShroudedKeyBag, PFX, SafeBag, SafeContents } from '@peculiar/asn1-pfx';
import { EncryptedPrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import type { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import {
  ALG,
  CmsEncryptedData,
  Pbes2Params,
  Pbkdf2Params,
  Pkcs12PbeParams,
  ScryptParams,
} from '../../src/cert/pkcs-asn1.js';

/**
 * Rewrites the key-derivation parameters of a real file without running the derivation, to make the
 * hostile files of the KDF tests (100,000,000 iterations and the like) in microseconds. The ciphertext
 * and MAC no longer match, which does not matter: the cost is refused before either is checked.
 */

export interface KdfOverride {
  /** PBKDF2 or PKCS#12 PBE iteration count. */
  iterations?: number;
  scrypt?: { N: number; r: number; p: number };
}

function rewriteAlgorithm(alg: AlgorithmIdentifier, o: KdfOverride): void {
  if (!alg.parameters) return;
  if (alg.algorithm === ALG.pbes2) {
    const p = AsnConvert.parse(alg.parameters, Pbes2Params);
    const kdf = p.keyDerivationFunc;
    if (kdf.algorithm === ALG.pbkdf2 && o.iterations !== undefined && kdf.parameters) {
      const kp = AsnConvert.parse(kdf.parameters, Pbkdf2Params);
      kp.iterationCount = o.iterations;
      kdf.parameters = AsnConvert.serialize(kp);
    }
    if (kdf.algorithm === ALG.scrypt && o.scrypt && kdf.parameters) {
      const sp = AsnConvert.parse(kdf.parameters, ScryptParams);
      sp.costParameter = o.scrypt.N;
      sp.blockSize = o.scrypt.r;
      sp.parallelizationParameter = o.scrypt.p;
      kdf.parameters = AsnConvert.serialize(sp);
    }
    alg.parameters = AsnConvert.serialize(p);
  } else if (o.iterations !== undefined) {
    const p = AsnConvert.parse(alg.parameters, Pkcs12PbeParams);
    p.iterations = o.iterations;
    alg.parameters = AsnConvert.serialize(p);
  }
}

/** An encrypted PKCS#8 key (PEM or DER) with other KDF parameters; PEM in, PEM out. */
export function withKeyKdf(key: Buffer | string, o: KdfOverride): Buffer {
  const text = Buffer.isBuffer(key) ? key.toString('latin1') : key;
  const pem = text.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----');
  const der = pem
    ? Buffer.from(text.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64')
    : Buffer.from(key as Buffer);
  const epki = AsnConvert.parse(der, EncryptedPrivateKeyInfo);
  rewriteAlgorithm(epki.encryptionAlgorithm, o);
  const out = Buffer.from(AsnConvert.serialize(epki));
  if (!pem) return out;
  const b64 = out.toString('base64').replace(/.{64}/g, '$&\n');
  return Buffer.from(`-----BEGIN ENCRYPTED PRIVATE KEY-----\n${b64}\n-----END ENCRYPTED PRIVATE KEY-----\n`);
}

/** A PFX whose MAC and/or encryption ask for other iteration counts. */
export function withPfxIterations(der: Buffer, o: { mac?: number; encryption?: number }): Buffer {
  const pfx = AsnConvert.parse(der, PFX);
  if (o.mac !== undefined) pfx.macData.iterations = o.mac;
  if (o.encryption !== undefined) {
    const enc = { iterations: o.encryption };
    const authSafe = AsnConvert.parse(AsnConvert.parse(pfx.authSafe.content, OctetString), AuthenticatedSafe);
    const parts = authSafe.map((ci) => {
      if (ci.contentType === id_data) {
        const safe = AsnConvert.parse(AsnConvert.parse(ci.content, OctetString), SafeContents);
        const bags = safe.map((bag) => {
          if (bag.bagId !== id_pkcs8ShroudedKeyBag) return bag;
          const epki = AsnConvert.parse(bag.bagValue, EncryptedPrivateKeyInfo);
          rewriteAlgorithm(epki.encryptionAlgorithm, enc);
          return new SafeBag({ ...bag, bagValue: AsnConvert.serialize(epki) });
        });
        const content = AsnConvert.serialize(new OctetString(AsnConvert.serialize(new SafeContents(bags))));
        return new ContentInfo({ contentType: ci.contentType, content });
      }
      const ed = AsnConvert.parse(ci.content, CmsEncryptedData);
      rewriteAlgorithm(ed.encryptedContentInfo.contentEncryptionAlgorithm, enc);
      return new ContentInfo({ contentType: ci.contentType, content: AsnConvert.serialize(ed) });
    });
    const body = AsnConvert.serialize(new AuthenticatedSafe(parts));
    pfx.authSafe = new ContentInfo({
      contentType: pfx.authSafe.contentType,
      content: AsnConvert.serialize(new OctetString(body)),
    });
  }
  return Buffer.from(AsnConvert.serialize(pfx));
}

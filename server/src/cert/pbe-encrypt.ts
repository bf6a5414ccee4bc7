import crypto from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { derive } from './kdf.js';
import { ivOf, kdfRequests, parsePbe } from './pbe.js';
import { ALG, Pbes2Params, Pbkdf2Params, Pkcs12PbeParams } from './pkcs-asn1.js';

/**
 * The writing side of password-based encryption, for the PFX writer: only the two modern-enough
 * profiles (PBES2 AES-256 and PKCS#12 3DES). The legacy schemes pbe.ts reads are never written.
 */

/** The two profiles the PFX writer produces. */
export type PbeProfile = 'pbes2-aes256' | 'pkcs12-3des';

/** Encrypts with a fresh salt (and IV); returns the AlgorithmIdentifier and the ciphertext. Synchronous. */
export function pbeEncrypt(
  profile: PbeProfile,
  plain: Buffer,
  password: string | null,
  iterations: number,
): { algorithm: AlgorithmIdentifier; data: Buffer } {
  const algorithm = profile === 'pkcs12-3des' ? pkcs12TripleDes(iterations) : pbes2Aes256(iterations);
  // The reader's parser turns the written parameters into the spec: one description of each scheme.
  const pbe = parsePbe(algorithm);
  const [key, derivedIv] = kdfRequests(pbe, password).map(derive);
  if (pbe.scheme === 'pbes1') throw new Error('PBES1 is read, never written');
  const c = crypto.createCipheriv(pbe.cipher, key as Buffer, ivOf(pbe, derivedIv));
  return { algorithm, data: Buffer.concat([c.update(plain), c.final()]) };
}

function pkcs12TripleDes(iterations: number): AlgorithmIdentifier {
  const p = Object.assign(new Pkcs12PbeParams(), {
    salt: new OctetString(crypto.randomBytes(8)),
    iterations,
  });
  return new AlgorithmIdentifier({
    algorithm: ALG.pbeWithSHAAnd3KeyTripleDESCBC,
    parameters: AsnConvert.serialize(p),
  });
}

function pbes2Aes256(iterations: number): AlgorithmIdentifier {
  const kdfParams = Object.assign(new Pbkdf2Params(), {
    salt: new OctetString(crypto.randomBytes(16)),
    iterationCount: iterations,
    prf: new AlgorithmIdentifier({ algorithm: ALG.hmacWithSHA256, parameters: null }),
  });
  const p = Object.assign(new Pbes2Params(), {
    keyDerivationFunc: new AlgorithmIdentifier({
      algorithm: ALG.pbkdf2,
      parameters: AsnConvert.serialize(kdfParams),
    }),
    encryptionScheme: new AlgorithmIdentifier({
      algorithm: ALG.aes256Cbc,
      parameters: AsnConvert.serialize(new OctetString(crypto.randomBytes(16))),
    }),
  });
  return new AlgorithmIdentifier({ algorithm: ALG.pbes2, parameters: AsnConvert.serialize(p) });
}

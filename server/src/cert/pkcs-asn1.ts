import { EncryptedContentInfo } from '@peculiar/asn1-cms';
import { AsnProp, AsnPropTypes, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';

/**
 * The ASN.1 structures of password-based encryption that @peculiar's packages do not ship (PKCS#5
 * PBES2/PBKDF2, RFC 7914 scrypt, RFC 7292 PKCS#12 PBE parameters, CMS EncryptedData), declared with
 * @peculiar/asn1-schema so the PFX reader, the PFX writer and the key reader share one definition —
 * and the one table of algorithm identifiers below. (Decorators are applied as calls: the project
 * does not enable TypeScript's experimental decorators.)
 */

export const ALG = {
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  scrypt: '1.3.6.1.4.1.11591.4.11',
  hmacWithSHA1: '1.2.840.113549.2.7',
  hmacWithSHA256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  pbeWithSHAAnd3KeyTripleDESCBC: '1.2.840.113549.1.12.1.3',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  /** PKCS#9 bag attributes. */
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
} as const;

/** PBKDF2 pseudo-random functions (RFC 8018 B.1, plus the SHA-3 HMACs OpenSSL writes), by Node hash name. */
export const PBKDF2_PRFS: Record<string, string> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.8': 'sha224',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
  '1.2.840.113549.2.12': 'sha512-224',
  '1.2.840.113549.2.13': 'sha512-256',
  '2.16.840.1.101.3.4.2.13': 'sha3-224',
  '2.16.840.1.101.3.4.2.14': 'sha3-256',
  '2.16.840.1.101.3.4.2.15': 'sha3-384',
  '2.16.840.1.101.3.4.2.16': 'sha3-512',
};

/** PBES2 ciphers: Node's name and key length. */
export const PBES2_CIPHERS: Record<string, { name: string; keyLen: number }> = {
  '2.16.840.1.101.3.4.1.2': { name: 'aes-128-cbc', keyLen: 16 },
  '2.16.840.1.101.3.4.1.22': { name: 'aes-192-cbc', keyLen: 24 },
  '2.16.840.1.101.3.4.1.42': { name: 'aes-256-cbc', keyLen: 32 },
  '1.2.840.113549.3.7': { name: 'des-ede3-cbc', keyLen: 24 },
  '1.2.392.200011.61.1.1.1.2': { name: 'camellia-128-cbc', keyLen: 16 },
  '1.2.392.200011.61.1.1.1.3': { name: 'camellia-192-cbc', keyLen: 24 },
  '1.2.392.200011.61.1.1.1.4': { name: 'camellia-256-cbc', keyLen: 32 },
  '1.2.410.200046.1.1.2': { name: 'aria-128-cbc', keyLen: 16 },
  '1.2.410.200046.1.1.7': { name: 'aria-192-cbc', keyLen: 24 },
  '1.2.410.200046.1.1.12': { name: 'aria-256-cbc', keyLen: 32 },
  '1.2.156.10197.1.104.2': { name: 'sm4-cbc', keyLen: 16 },
  // OpenSSL 3 keeps these in its legacy provider, which Node does not load: pbe.ts decrypts them itself.
  // RC2's key length is variable (PBKDF2 keyLength says it; 16 when absent, as OpenSSL writes).
  '1.3.14.3.2.7': { name: 'des-cbc', keyLen: 8 },
  '1.2.840.113549.3.2': { name: 'rc2-cbc', keyLen: 16 },
};

/** RFC 7292 appendix C: PKCS#12 password-based encryption (SHA-1 KDF). */
export const PKCS12_PBES: Record<
  string,
  { label: string; cipher: 'des-ede3-cbc' | 'des-ede-cbc' | 'rc2' | 'rc4'; keyLen: number; ivLen: number }
> = {
  '1.2.840.113549.1.12.1.1': { label: 'pbeWithSHAAnd128BitRC4', cipher: 'rc4', keyLen: 16, ivLen: 0 },
  '1.2.840.113549.1.12.1.2': { label: 'pbeWithSHAAnd40BitRC4', cipher: 'rc4', keyLen: 5, ivLen: 0 },
  '1.2.840.113549.1.12.1.3': {
    label: 'pbeWithSHAAnd3-KeyTripleDES-CBC',
    cipher: 'des-ede3-cbc',
    keyLen: 24,
    ivLen: 8,
  },
  '1.2.840.113549.1.12.1.4': {
    label: 'pbeWithSHAAnd2-KeyTripleDES-CBC',
    cipher: 'des-ede-cbc',
    keyLen: 16,
    ivLen: 8,
  },
  '1.2.840.113549.1.12.1.5': { label: 'pbeWithSHAAnd128BitRC2-CBC', cipher: 'rc2', keyLen: 16, ivLen: 8 },
  '1.2.840.113549.1.12.1.6': { label: 'pbeWithSHAAnd40BitRC2-CBC', cipher: 'rc2', keyLen: 5, ivLen: 8 },
};

/**
 * PKCS#5 v1.5 PBES1: PBKDF1 (MD2, MD5 or SHA-1) keying single DES or RC2 with 64 effective bits. MD2 is
 * named only to refuse it: OpenSSL 3 is built without MD2 and cannot read those files either.
 */
export const PBES1: Record<string, { label: string; hash: 'md5' | 'sha1' | null; cipher: 'des' | 'rc2' }> = {
  '1.2.840.113549.1.5.1': { label: 'PBES1 pbeWithMD2AndDES-CBC', hash: null, cipher: 'des' },
  '1.2.840.113549.1.5.4': { label: 'PBES1 pbeWithMD2AndRC2-CBC', hash: null, cipher: 'rc2' },
  '1.2.840.113549.1.5.3': { label: 'PBES1 pbeWithMD5AndDES-CBC', hash: 'md5', cipher: 'des' },
  '1.2.840.113549.1.5.6': { label: 'PBES1 pbeWithMD5AndRC2-CBC', hash: 'md5', cipher: 'rc2' },
  '1.2.840.113549.1.5.10': { label: 'PBES1 pbeWithSHA1AndDES-CBC', hash: 'sha1', cipher: 'des' },
  '1.2.840.113549.1.5.11': { label: 'PBES1 pbeWithSHA1AndRC2-CBC', hash: 'sha1', cipher: 'rc2' },
};

/** Digests a PKCS#12 MAC may use, by Node hash name (see PKCS12_HASHES in kdf.ts for u and v). */
export const MAC_DIGESTS: Record<string, string> = {
  '1.2.840.113549.2.5': 'md5',
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '2.16.840.1.101.3.4.2.5': 'sha512-224',
  '2.16.840.1.101.3.4.2.6': 'sha512-256',
  '2.16.840.1.101.3.4.2.7': 'sha3-224',
  '2.16.840.1.101.3.4.2.8': 'sha3-256',
  '2.16.840.1.101.3.4.2.9': 'sha3-384',
  '2.16.840.1.101.3.4.2.10': 'sha3-512',
  '1.3.6.1.4.1.1722.12.2.1.16': 'blake2b512',
  '1.3.6.1.4.1.1722.12.2.2.8': 'blake2s256',
  '1.2.156.10197.1.401': 'sm3',
};

/** INTEGER values come back as a decimal string once they need 4 bytes or more. */
export type AsnCount = number | string;

/** PBES2-params ::= SEQUENCE { keyDerivationFunc AlgorithmIdentifier, encryptionScheme AlgorithmIdentifier } */
export class Pbes2Params {
  keyDerivationFunc = new AlgorithmIdentifier();
  encryptionScheme = new AlgorithmIdentifier();
}
AsnProp({ type: AlgorithmIdentifier })(Pbes2Params.prototype, 'keyDerivationFunc');
AsnProp({ type: AlgorithmIdentifier })(Pbes2Params.prototype, 'encryptionScheme');

/** PBKDF2-params (RFC 8018 A.2); the `otherSource` salt choice is unused in practice and not read. */
export class Pbkdf2Params {
  salt = new OctetString();
  iterationCount: AsnCount = 0;
  keyLength?: AsnCount;
  prf?: AlgorithmIdentifier;
}
AsnProp({ type: OctetString })(Pbkdf2Params.prototype, 'salt');
AsnProp({ type: AsnPropTypes.Integer })(Pbkdf2Params.prototype, 'iterationCount');
AsnProp({ type: AsnPropTypes.Integer, optional: true })(Pbkdf2Params.prototype, 'keyLength');
AsnProp({ type: AlgorithmIdentifier, optional: true })(Pbkdf2Params.prototype, 'prf');

/** scrypt-params (RFC 7914 section 7). */
export class ScryptParams {
  salt = new OctetString();
  costParameter: AsnCount = 0;
  blockSize: AsnCount = 0;
  parallelizationParameter: AsnCount = 0;
  keyLength?: AsnCount;
}
AsnProp({ type: OctetString })(ScryptParams.prototype, 'salt');
AsnProp({ type: AsnPropTypes.Integer })(ScryptParams.prototype, 'costParameter');
AsnProp({ type: AsnPropTypes.Integer })(ScryptParams.prototype, 'blockSize');
AsnProp({ type: AsnPropTypes.Integer })(ScryptParams.prototype, 'parallelizationParameter');
AsnProp({ type: AsnPropTypes.Integer, optional: true })(ScryptParams.prototype, 'keyLength');

/** pkcs-12PbeParams ::= SEQUENCE { salt OCTET STRING, iterations INTEGER } */
export class Pkcs12PbeParams {
  salt = new OctetString();
  iterations: AsnCount = 0;
}
AsnProp({ type: OctetString })(Pkcs12PbeParams.prototype, 'salt');
AsnProp({ type: AsnPropTypes.Integer })(Pkcs12PbeParams.prototype, 'iterations');

/** PBEParameter (PKCS#5 v1.5 PBES1) ::= SEQUENCE { salt OCTET STRING (SIZE(8)), iterationCount INTEGER } */
export class Pbes1Params {
  salt = new OctetString();
  iterationCount: AsnCount = 0;
}
AsnProp({ type: OctetString })(Pbes1Params.prototype, 'salt');
AsnProp({ type: AsnPropTypes.Integer })(Pbes1Params.prototype, 'iterationCount');

/** RC2-CBC-Parameter (RFC 8018 B.2.3) ::= SEQUENCE { rc2ParameterVersion INTEGER OPTIONAL, iv OCTET STRING } */
export class Rc2CbcParams {
  rc2ParameterVersion?: number;
  iv = new OctetString();
}
AsnProp({ type: AsnPropTypes.Integer, optional: true })(Rc2CbcParams.prototype, 'rc2ParameterVersion');
AsnProp({ type: OctetString })(Rc2CbcParams.prototype, 'iv');

/** CMS EncryptedData (RFC 5652 8) without unprotected attributes, which PKCS#12 never carries. */
export class CmsEncryptedData {
  version = 0;
  encryptedContentInfo = new EncryptedContentInfo();
}
AsnProp({ type: AsnPropTypes.Integer })(CmsEncryptedData.prototype, 'version');
AsnProp({ type: EncryptedContentInfo })(CmsEncryptedData.prototype, 'encryptedContentInfo');

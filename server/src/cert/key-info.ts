import crypto, { type KeyObject } from 'node:crypto';

export interface KeyInfo {
  keyType: 'rsa' | 'ec';
  keySize: number | null;
  curve: 'P-256' | 'P-384' | string | null;
}

const CURVES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };

/** Key type and size of a public or private key, as the UI and reports name them. */
export function describeKey(key: KeyObject): KeyInfo {
  const d = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') {
    return { keyType: 'rsa', keySize: d.modulusLength ?? null, curve: null };
  }
  if (key.asymmetricKeyType === 'ec') {
    const named = d.namedCurve ?? '';
    return { keyType: 'ec', keySize: null, curve: CURVES[named] ?? named };
  }
  throw new Error(`unsupported key type ${key.asymmetricKeyType}`);
}

/** Hex SHA-256 of the SubjectPublicKeyInfo: the same for a private key, its CSR and its certificate. */
export function spkiSha256(key: KeyObject): string {
  const pub = key.type === 'private' ? crypto.createPublicKey(key) : key;
  return crypto
    .createHash('sha256')
    .update(pub.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

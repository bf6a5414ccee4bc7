import crypto, { type KeyObject } from 'node:crypto';
import type { Db } from '../db/open.js';
import { nowIso } from '../db/open.js';
import type { KeyEncryption } from './key-encryption.js';

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

/** Private-key storage: sealed at rest, looked up by id or by public key. */
export class PrivateKeyStore {
  constructor(
    private readonly db: Db,
    private readonly enc: KeyEncryption,
  ) {}

  /** Stores a key and returns its id. Call inside the caller's transaction so nothing is half-written. */
  insert(key: KeyObject): number {
    const info = describeKey(key);
    const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
    const result = this.db
      .prepare(
        `INSERT INTO private_keys (key_type, key_size, curve, spki_sha256, sealed, created_at)
         VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(info.keyType, info.keySize, info.curve, spkiSha256(key), this.enc.seal(pkcs8), nowIso());
    return Number(result.lastInsertRowid);
  }

  load(id: number): KeyObject | undefined {
    const row = this.db.prepare('SELECT sealed FROM private_keys WHERE id = ?').get(id) as
      | { sealed: Buffer }
      | undefined;
    if (!row) return undefined;
    return crypto.createPrivateKey({ key: this.enc.open(row.sealed), format: 'der', type: 'pkcs8' });
  }

  /** Ids of stored keys whose public key is this one (newest first). */
  findBySpki(spkiHex: string): number[] {
    const rows = this.db
      .prepare('SELECT id FROM private_keys WHERE spki_sha256 = ? ORDER BY id DESC')
      .all(spkiHex) as { id: number }[];
    return rows.map((r) => r.id);
  }

  delete(id: number): void {
    this.db.prepare('DELETE FROM private_keys WHERE id = ?').run(id);
  }
}

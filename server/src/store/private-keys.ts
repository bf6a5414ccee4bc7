import crypto, { type KeyObject } from 'node:crypto';
import { describeKey, spkiSha256 } from '../cert/key-info.js';
import type { Db } from '../db/open.js';
import { nowIso } from '../db/open.js';
import type { KeyEncryption } from './key-encryption.js';

export { describeKey, type KeyInfo, spkiSha256 } from '../cert/key-info.js';

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

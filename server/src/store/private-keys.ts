import crypto, { type KeyObject } from 'node:crypto';
import fp from 'fastify-plugin';
import { describeKey, spkiSha256 } from '../cert/key-info.js';
import type { Db } from '../db/open.js';
import { nowIso } from '../db/open.js';
import type { KeyEncryption } from './key-encryption.js';

const statements = (db: Db) => ({
  insert: db.prepare(
    `INSERT INTO private_keys (key_type, key_size, curve, spki_sha256, sealed, created_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ),
  sealed: db.prepare('SELECT sealed FROM private_keys WHERE id = ?'),
  bySpki: db.prepare('SELECT id FROM private_keys WHERE spki_sha256 = ? ORDER BY id DESC'),
  delete: db.prepare('DELETE FROM private_keys WHERE id = ?'),
});

/** The private_keys table: sealed at rest, looked up by id or by public key. */
export class PrivateKeyStore {
  private readonly sql: ReturnType<typeof statements>;

  constructor(
    db: Db,
    private readonly enc: KeyEncryption,
  ) {
    this.sql = statements(db);
  }

  /** Stores a key and returns its id. Call inside the caller's transaction so nothing is half-written. */
  insert(key: KeyObject): number {
    const info = describeKey(key);
    const pkcs8 = key.export({ type: 'pkcs8', format: 'der' });
    const result = this.sql.insert.run(
      info.keyType,
      info.keySize,
      info.curve,
      spkiSha256(key),
      this.enc.seal(pkcs8),
      nowIso(),
    );
    return Number(result.lastInsertRowid);
  }

  load(id: number): KeyObject | undefined {
    const row = this.sql.sealed.get(id) as { sealed: Buffer } | undefined;
    if (!row) return undefined;
    return crypto.createPrivateKey({ key: this.enc.open(row.sealed), format: 'der', type: 'pkcs8' });
  }

  /** Ids of stored keys whose public key is this one (newest first). */
  findBySpki(spkiHex: string): number[] {
    return (this.sql.bySpki.all(spkiHex) as { id: number }[]).map((r) => r.id);
  }

  delete(id: number): void {
    this.sql.delete.run(id);
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('privateKeys', new PrivateKeyStore(fastify.db, fastify.keyEncryption));
  },
  { name: 'private-keys-repository', dependencies: ['db'] },
);

import crypto, { type KeyObject } from 'node:crypto';
import fp from 'fastify-plugin';
import type { Db } from '../db/open.js';
import type { KeyEncryption } from './key-encryption.js';

export interface AcmeAccountRow {
  id: number;
  directory_url: string;
  email: string;
  account_url: string;
  status: string;
  eab_kid: string | null;
  ca_pem: string | null;
  created_at: string;
}

export interface NewAcmeAccount {
  directoryUrl: string;
  email: string;
  accountUrl: string;
  status: string;
  key: KeyObject;
  eab: { kid: string; hmacKey: string } | null;
  caPem: string | null;
  createdAt: string;
}

const COLUMNS = 'id, directory_url, email, account_url, status, eab_kid, ca_pem, created_at';

const statements = (db: Db) => ({
  insert: db.prepare(
    `INSERT INTO acme_accounts (directory_url, email, account_url, status, key_sealed, eab_kid, eab_hmac_sealed,
       ca_pem, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  get: db.prepare(`SELECT ${COLUMNS} FROM acme_accounts WHERE id = ?`),
  list: db.prepare(`SELECT ${COLUMNS} FROM acme_accounts ORDER BY id`),
  secrets: db.prepare('SELECT key_sealed, eab_hmac_sealed FROM acme_accounts WHERE id = ?'),
  delete: db.prepare('DELETE FROM acme_accounts WHERE id = ?'),
  inUse: db.prepare(
    `SELECT 1 FROM acme_certificates WHERE account_id = ?
     UNION ALL SELECT 1 FROM acme_orders WHERE account_id = ? LIMIT 1`,
  ),
});

/** The acme_accounts table: the account key and the EAB HMAC key are sealed like certificate keys. */
export class AcmeAccountStore {
  private readonly sql: ReturnType<typeof statements>;

  constructor(
    db: Db,
    private readonly enc: KeyEncryption,
  ) {
    this.sql = statements(db);
  }

  insert(a: NewAcmeAccount): number {
    const pkcs8 = a.key.export({ type: 'pkcs8', format: 'der' });
    const r = this.sql.insert.run(
      a.directoryUrl,
      a.email,
      a.accountUrl,
      a.status,
      this.enc.seal(pkcs8),
      a.eab?.kid ?? null,
      a.eab ? this.enc.seal(Buffer.from(a.eab.hmacKey)) : null,
      a.caPem,
      a.createdAt,
    );
    return Number(r.lastInsertRowid);
  }

  get(id: number): AcmeAccountRow | undefined {
    return this.sql.get.get(id) as AcmeAccountRow | undefined;
  }

  list(): AcmeAccountRow[] {
    return this.sql.list.all() as AcmeAccountRow[];
  }

  /** The account key (and EAB HMAC key) opened for one request to the CA; never stored elsewhere. */
  secrets(id: number): { key: KeyObject; hmacKey: string | null } | undefined {
    const row = this.sql.secrets.get(id) as
      | { key_sealed: Buffer; eab_hmac_sealed: Buffer | null }
      | undefined;
    if (!row) return undefined;
    return {
      key: crypto.createPrivateKey({ key: this.enc.open(row.key_sealed), format: 'der', type: 'pkcs8' }),
      hmacKey: row.eab_hmac_sealed ? this.enc.open(row.eab_hmac_sealed).toString() : null,
    };
  }

  /** Whether an ACME certificate or an order (any state: the history names it) refers to the account. */
  inUse(id: number): boolean {
    return this.sql.inUse.get(id, id) !== undefined;
  }

  delete(id: number): void {
    this.sql.delete.run(id);
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('acmeAccounts', new AcmeAccountStore(fastify.db, fastify.keyEncryption));
  },
  { name: 'acme-accounts-repository', dependencies: ['db'] },
);

import fp from 'fastify-plugin';
import type { Db } from '../db/open.js';

export type AcmeKeySpec =
  | { keyType: 'rsa'; keySize: 2048 | 3072 | 4096 }
  | { keyType: 'ec'; curve: 'P-256' | 'P-384' };

export type AcmeOrderStage =
  | 'key'
  | 'order'
  | 'authorizations'
  | 'awaiting-dns'
  | 'finalizing'
  | 'importing'
  | 'done';

export interface AcmeOrderRow {
  id: number;
  account_id: number;
  status: 'pending' | 'processing' | 'valid' | 'invalid';
  stage: AcmeOrderStage;
  names: string;
  key_spec: string;
  challenge: 'http-01' | 'dns-01';
  dns_hook: string | null;
  renews_certificate_id: number | null;
  replaces: string | null;
  csr_id: number | null;
  order_url: string | null;
  dns_records: string;
  certificate_id: number | null;
  error: string | null;
  created_at: string;
  updated_at: string;
}

export interface NewAcmeOrder {
  accountId: number;
  names: string[];
  keySpec: AcmeKeySpec;
  challenge: 'http-01' | 'dns-01';
  dnsHook: string | null;
  renewsCertificateId: number | null;
  replaces: string | null;
  at: string;
}

export type AcmeOrderUpdate = Partial<
  Pick<
    AcmeOrderRow,
    'status' | 'stage' | 'csr_id' | 'order_url' | 'dns_records' | 'certificate_id' | 'error' | 'replaces'
  >
>;

const UPDATABLE = [
  'status',
  'stage',
  'csr_id',
  'order_url',
  'dns_records',
  'certificate_id',
  'error',
  'replaces',
];

const statements = (db: Db) => ({
  insert: db.prepare(
    `INSERT INTO acme_orders (account_id, status, stage, names, key_spec, challenge, dns_hook,
       renews_certificate_id, replaces, created_at, updated_at)
     VALUES (?, 'pending', 'key', ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  get: db.prepare('SELECT * FROM acme_orders WHERE id = ?'),
  list: db.prepare('SELECT * FROM acme_orders ORDER BY id DESC LIMIT ?'),
  running: db.prepare("SELECT * FROM acme_orders WHERE status IN ('pending', 'processing') ORDER BY id"),
  runningFor: db.prepare(
    "SELECT id FROM acme_orders WHERE renews_certificate_id = ? AND status IN ('pending', 'processing')",
  ),
  update: db.prepare(
    `UPDATE acme_orders SET ${UPDATABLE.map((c) => `${c} = coalesce(@${c}, ${c})`).join(', ')},
       updated_at = @updated_at WHERE id = @id`,
  ),
});

/** The acme_orders table: an order's stage is stored after each step so a restart picks it up there. */
export class AcmeOrderStore {
  private readonly sql: ReturnType<typeof statements>;

  constructor(db: Db) {
    this.sql = statements(db);
  }

  /** Throws SQLITE_CONSTRAINT_UNIQUE when an order for the same certificate is still running (the lock). */
  insert(o: NewAcmeOrder): number {
    const r = this.sql.insert.run(
      o.accountId,
      JSON.stringify(o.names),
      JSON.stringify(o.keySpec),
      o.challenge,
      o.dnsHook,
      o.renewsCertificateId,
      o.replaces,
      o.at,
      o.at,
    );
    return Number(r.lastInsertRowid);
  }

  get(id: number): AcmeOrderRow | undefined {
    return this.sql.get.get(id) as AcmeOrderRow | undefined;
  }

  list(limit = 200): AcmeOrderRow[] {
    return this.sql.list.all(limit) as AcmeOrderRow[];
  }

  running(): AcmeOrderRow[] {
    return this.sql.running.all() as AcmeOrderRow[];
  }

  runningFor(certificateId: number): number | undefined {
    return (this.sql.runningFor.get(certificateId) as { id: number } | undefined)?.id;
  }

  /** Sets the given fields (null values are left as they are: a field is never cleared). */
  update(id: number, fields: AcmeOrderUpdate, at: string): void {
    const params: Record<string, unknown> = { id, updated_at: at };
    for (const c of UPDATABLE) params[c] = (fields as Record<string, unknown>)[c] ?? null;
    this.sql.update.run(params);
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('acmeOrders', new AcmeOrderStore(fastify.db));
  },
  { name: 'acme-orders-repository', dependencies: ['db'] },
);

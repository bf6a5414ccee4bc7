import fp from 'fastify-plugin';
import type { Db } from '../db/open.js';
import { nowIso } from '../db/open.js';

/** An SNI binding: this host name on the HTTPS port is served with this certificate. */
export interface BindingRow {
  id: number;
  hostname: string;
  certificate_id: number;
  created_at: string;
}

const statements = (db: Db) => ({
  list: db.prepare('SELECT * FROM bindings ORDER BY hostname'),
  get: db.prepare('SELECT * FROM bindings WHERE id = ?'),
  byHostname: db.prepare('SELECT * FROM bindings WHERE hostname = ?'),
  ofCertificate: db.prepare('SELECT id, hostname FROM bindings WHERE certificate_id = ? ORDER BY hostname'),
  insert: db.prepare('INSERT INTO bindings (hostname, certificate_id, created_at) VALUES (?, ?, ?)'),
  moveAll: db.prepare('UPDATE bindings SET certificate_id = ? WHERE certificate_id = ?'),
  moveHost: db.prepare('UPDATE bindings SET certificate_id = ? WHERE hostname = ? AND certificate_id = ?'),
  delete: db.prepare('DELETE FROM bindings WHERE id = ?'),
});

/** The bindings table. */
export class BindingStore {
  private readonly sql: ReturnType<typeof statements>;

  constructor(db: Db) {
    this.sql = statements(db);
  }

  list(): BindingRow[] {
    return this.sql.list.all() as BindingRow[];
  }

  get(id: number): BindingRow | undefined {
    return this.sql.get.get(id) as BindingRow | undefined;
  }

  findByHostname(hostname: string): BindingRow | undefined {
    return this.sql.byHostname.get(hostname) as BindingRow | undefined;
  }

  /** The bindings served with this certificate, by host name. */
  ofCertificate(certificateId: number): { id: number; hostname: string }[] {
    return this.sql.ofCertificate.all(certificateId) as { id: number; hostname: string }[];
  }

  insert(hostname: string, certificateId: number): number {
    return Number(this.sql.insert.run(hostname, certificateId, nowIso()).lastInsertRowid);
  }

  /** Every binding of `from` now serves `to`. */
  moveAll(from: number, to: number): void {
    this.sql.moveAll.run(to, from);
  }

  /** This host name's binding moves from `from` to `to`, if it still serves `from`. */
  moveHost(hostname: string, from: number, to: number): void {
    this.sql.moveHost.run(to, hostname, from);
  }

  delete(id: number): boolean {
    return this.sql.delete.run(id).changes > 0;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('bindings', new BindingStore(fastify.db));
  },
  { name: 'bindings-repository', dependencies: ['db'] },
);

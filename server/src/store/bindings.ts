import type { Db } from '../db/open.js';
import { nowIso } from '../db/open.js';

/** An SNI binding: this host name on the HTTPS port is served with this certificate. */
export interface BindingRow {
  id: number;
  hostname: string;
  certificate_id: number;
  created_at: string;
}

export class BindingStore {
  constructor(private readonly db: Db) {}

  list(): BindingRow[] {
    return this.db.prepare('SELECT * FROM bindings ORDER BY hostname').all() as BindingRow[];
  }

  get(id: number): BindingRow | undefined {
    return this.db.prepare('SELECT * FROM bindings WHERE id = ?').get(id) as BindingRow | undefined;
  }

  findByHostname(hostname: string): BindingRow | undefined {
    return this.db.prepare('SELECT * FROM bindings WHERE hostname = ?').get(hostname) as
      | BindingRow
      | undefined;
  }

  insert(hostname: string, certificateId: number): number {
    const r = this.db
      .prepare('INSERT INTO bindings (hostname, certificate_id, created_at) VALUES (?, ?, ?)')
      .run(hostname, certificateId, nowIso());
    return Number(r.lastInsertRowid);
  }

  delete(id: number): boolean {
    return this.db.prepare('DELETE FROM bindings WHERE id = ?').run(id).changes > 0;
  }
}

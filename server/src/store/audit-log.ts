import fp from 'fastify-plugin';
import type { Db } from '../db/open.js';

export interface AuditLogRow {
  id: number;
  at: string;
  actor: string | null;
  action: string;
  target: string | null;
  ip: string | null;
  details: string | null;
}

export type NewAuditLogRow = Omit<AuditLogRow, 'id'>;

/** How a page is filtered: every action, one exact action, or every action under a prefix ("auth."). */
export type ActionFilter =
  | { kind: 'all' }
  | { kind: 'exact'; action: string }
  | { kind: 'prefix'; prefix: string };

const COLUMNS = 'id, at, actor, action, target, ip, details';
const WHERE = {
  all: '',
  exact: 'WHERE action = ?',
  prefix: "WHERE action LIKE ? ESCAPE '\\'",
} as const;

function pageStatements(db: Db, where: string) {
  return {
    count: db.prepare(`SELECT count(*) AS n FROM audit_log ${where}`),
    page: db.prepare(`SELECT ${COLUMNS} FROM audit_log ${where} ORDER BY id DESC LIMIT ? OFFSET ?`),
  };
}

const statements = (db: Db) => ({
  insert: db.prepare(
    'INSERT INTO audit_log (at, actor, action, target, ip, details) VALUES (?, ?, ?, ?, ?, ?)',
  ),
  all: pageStatements(db, WHERE.all),
  exact: pageStatements(db, WHERE.exact),
  prefix: pageStatements(db, WHERE.prefix),
});

/** The audit_log table: append-only. */
export class AuditLogStore {
  private readonly sql: ReturnType<typeof statements>;

  constructor(db: Db) {
    this.sql = statements(db);
  }

  insert(row: NewAuditLogRow): void {
    this.sql.insert.run(row.at, row.actor, row.action, row.target, row.ip, row.details);
  }

  /** Newest first, with the number of entries the filter matches. */
  page(filter: ActionFilter, limit: number, offset: number): { total: number; items: AuditLogRow[] } {
    const args =
      filter.kind === 'all'
        ? []
        : filter.kind === 'exact'
          ? [filter.action]
          : [`${filter.prefix.replace(/[%_\\]/g, '\\$&')}%`];
    const sql = this.sql[filter.kind];
    const total = (sql.count.get(...args) as { n: number }).n;
    return { total, items: sql.page.all(...args, limit, offset) as AuditLogRow[] };
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('auditLog', new AuditLogStore(fastify.db));
  },
  { name: 'audit-log-repository', dependencies: ['db'] },
);

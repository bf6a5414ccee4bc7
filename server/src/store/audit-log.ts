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
  token_id: number | null;
  token_name: string | null;
}

export type NewAuditLogRow = Omit<AuditLogRow, 'id'>;

/** How a page is filtered: every action, one exact action, or every action under a prefix ("auth."). */
export type ActionFilter =
  | { kind: 'all' }
  | { kind: 'exact'; action: string }
  | { kind: 'prefix'; prefix: string };

/** Every filter of a page; `from` and `to` are ISO 8601 instants (`to` excluded). */
export interface AuditFilter {
  action: ActionFilter;
  actor?: string;
  from?: string;
  to?: string;
}

const COLUMNS = 'id, at, actor, action, target, ip, details, token_id, token_name';
const ACTION_WHERE = {
  all: null,
  exact: 'action = ?',
  prefix: "action LIKE ? ESCAPE '\\'",
} as const;

const pageStatements = (db: Db, where: string) => ({
  count: db.prepare<unknown[]>(`SELECT count(*) AS n FROM audit_log ${where}`),
  page: db.prepare<unknown[]>(`SELECT ${COLUMNS} FROM audit_log ${where} ORDER BY id DESC LIMIT ? OFFSET ?`),
});

/** The audit_log table: append-only. */
export class AuditLogStore {
  private readonly insertStatement;
  // One pair of statements per combination of filters (at most 3 × 2 × 2 × 2), prepared on first use.
  private readonly pages = new Map<string, ReturnType<typeof pageStatements>>();

  constructor(private readonly db: Db) {
    this.insertStatement = db.prepare(
      `INSERT INTO audit_log (at, actor, action, target, ip, details, token_id, token_name)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  insert(row: NewAuditLogRow): void {
    this.insertStatement.run(
      row.at,
      row.actor,
      row.action,
      row.target,
      row.ip,
      row.details,
      row.token_id,
      row.token_name,
    );
  }

  /** Newest first, with the number of entries the filter matches. */
  page(filter: AuditFilter, limit: number, offset: number): { total: number; items: AuditLogRow[] } {
    const clauses: string[] = [];
    const args: unknown[] = [];
    const a = filter.action;
    if (a.kind !== 'all') {
      clauses.push(ACTION_WHERE[a.kind]);
      args.push(a.kind === 'exact' ? a.action : `${a.prefix.replace(/[%_\\]/g, '\\$&')}%`);
    }
    if (filter.actor !== undefined) {
      clauses.push('actor = ?');
      args.push(filter.actor);
    }
    if (filter.from !== undefined) {
      clauses.push('at >= ?');
      args.push(filter.from);
    }
    if (filter.to !== undefined) {
      clauses.push('at < ?');
      args.push(filter.to);
    }
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    let sql = this.pages.get(where);
    if (!sql) {
      sql = pageStatements(this.db, where);
      this.pages.set(where, sql);
    }
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

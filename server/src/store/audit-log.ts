import type Database from 'better-sqlite3';
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

/** Every filter of the log; the times are ISO 8601 UTC strings (they compare as text), `to` exclusive. */
export interface AuditFilter {
  action: ActionFilter;
  actor?: string;
  from?: string;
  before?: string;
}

const COLUMNS = 'id, at, actor, action, target, ip, details, token_id, token_name';

/** The WHERE clause of a filter and its arguments, in order; `cursor` adds the keyset bound of an export slice. */
function where(filter: AuditFilter, cursor = false): { key: string; sql: string; args: unknown[] } {
  const parts: string[] = [];
  const args: unknown[] = [];
  const { action } = filter;
  if (action.kind === 'exact') {
    parts.push('action = ?');
    args.push(action.action);
  } else if (action.kind === 'prefix') {
    parts.push("action LIKE ? ESCAPE '\\'");
    args.push(`${action.prefix.replace(/[%_\\]/g, '\\$&')}%`);
  }
  if (filter.actor !== undefined) {
    parts.push('actor = ?');
    args.push(filter.actor);
  }
  if (filter.from !== undefined) {
    parts.push('at >= ?');
    args.push(filter.from);
  }
  if (filter.before !== undefined) {
    parts.push('at < ?');
    args.push(filter.before);
  }
  if (cursor) parts.push('id < ?');
  return {
    key: parts.join(' AND '),
    sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '',
    args,
  };
}

/** The audit_log table: append-only. */
export class AuditLogStore {
  private readonly insertSql: Database.Statement;
  /** One prepared statement per filter shape (at most a few dozen), made on first use. */
  private readonly prepared = new Map<string, Database.Statement>();

  constructor(private readonly db: Db) {
    this.insertSql = db.prepare(
      `INSERT INTO audit_log (at, actor, action, target, ip, details, token_id, token_name)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  insert(row: NewAuditLogRow): void {
    this.insertSql.run(
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
    const w = where(filter);
    const count = this.statement(`count:${w.key}`, `SELECT count(*) AS n FROM audit_log ${w.sql}`);
    const page = this.statement(
      `page:${w.key}`,
      `SELECT ${COLUMNS} FROM audit_log ${w.sql} ORDER BY id DESC LIMIT ? OFFSET ?`,
    );
    const total = (count.get(...w.args) as { n: number }).n;
    return { total, items: page.all(...w.args, limit, offset) as AuditLogRow[] };
  }

  /**
   * The next `limit` matching entries older than `beforeId` (newest first): an export reads the log in
   * such slices, so it never holds the connection between them nor the whole log in memory.
   */
  slice(filter: AuditFilter, beforeId: number, limit: number): AuditLogRow[] {
    const w = where(filter, true);
    const stmt = this.statement(
      `slice:${w.key}`,
      `SELECT ${COLUMNS} FROM audit_log ${w.sql} ORDER BY id DESC LIMIT ?`,
    );
    return stmt.all(...w.args, beforeId, limit) as AuditLogRow[];
  }

  private statement(key: string, sql: string): Database.Statement {
    let stmt = this.prepared.get(key);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.prepared.set(key, stmt);
    }
    return stmt;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('auditLog', new AuditLogStore(fastify.db));
  },
  { name: 'audit-log-repository', dependencies: ['db'] },
);

import type { AuditEntry, AuditList } from '@certdesk/shared';
import { type Clock, systemClock } from '../clock.js';
import { AppError } from '../errors.js';
import type { ActionFilter, AuditFilter, AuditLogRow, AuditLogStore } from '../store/audit-log.js';
import { auditCsvHeader, auditCsvLine } from './audit-csv.js';

/** The filters of the list and of the CSV export, as the query string gives them. */
export interface AuditFilterQuery {
  action?: string;
  actor?: string;
  /** A date (YYYY-MM-DD, from its first instant, UTC) or an ISO 8601 time. */
  from?: string;
  /** A date (up to its last instant, UTC) or an ISO 8601 time, inclusive. */
  to?: string;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;
/** Rows read per slice of a CSV export: small enough to keep other requests answered in between. */
const EXPORT_SLICE = 500;

function instant(value: string, field: 'from' | 'to'): number {
  const ms = Date.parse(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value);
  // Date.parse rolls 2026-02-31 over to March: a date that does not round-trip is refused.
  const ok = Number.isFinite(ms) && (!DATE_ONLY.test(value) || new Date(ms).toISOString().startsWith(value));
  if (!ok) throw new AppError('VALIDATION_ERROR', `"${field}" is not a valid date or time.`, { field });
  return ms;
}

/** The query's filters for the repository: times as ISO strings (they compare as text), `to` made exclusive. */
export function auditFilterOf(query: AuditFilterQuery): AuditFilter {
  const { action, actor, from, to } = query;
  const filter: AuditFilter = {
    action: !action
      ? { kind: 'all' }
      : action.endsWith('.')
        ? { kind: 'prefix', prefix: action }
        : ({ kind: 'exact', action } satisfies ActionFilter),
  };
  if (actor) filter.actor = actor;
  const start = from ? instant(from, 'from') : undefined;
  const end = to ? instant(to, 'to') + (DATE_ONLY.test(to) ? DAY_MS : 1) : undefined;
  if (start !== undefined && end !== undefined && end <= start) {
    throw new AppError('VALIDATION_ERROR', '"to" is before "from".', { field: 'to' });
  }
  if (start !== undefined) filter.from = new Date(start).toISOString();
  if (end !== undefined) filter.before = new Date(end).toISOString();
  return filter;
}

function entryOf({ token_id, token_name, ...r }: AuditLogRow): AuditEntry {
  return {
    ...r,
    details: r.details ? (JSON.parse(r.details) as AuditEntry['details']) : null,
    token: token_id !== null ? { id: token_id, name: token_name ?? '' } : null,
  };
}

export interface AuditRecord {
  action: string;
  target?: string | number | null;
  details?: Record<string, unknown>;
  /** Defaults to the signed-in user of the request. */
  actor?: string | null;
}

/** Who asked and from where: an HTTP request satisfies it; the command line passes null. */
export interface AuditContext {
  user?: { username: string } | null;
  ip?: string;
  /** The API token the request came with, if any. */
  apiToken?: { id: number; name: string } | null;
}

/** Who did what, when and from where. Never put a password, token or key in `details`. */
export class AuditService {
  constructor(
    private readonly log: AuditLogStore,
    private readonly clock: Clock = systemClock,
  ) {}

  record(context: AuditContext | null, entry: AuditRecord): void {
    const actor = entry.actor !== undefined ? entry.actor : (context?.user?.username ?? null);
    const token = context?.apiToken ?? null;
    this.log.insert({
      at: new Date(this.clock.now()).toISOString(),
      actor,
      action: entry.action,
      target: entry.target === undefined || entry.target === null ? null : String(entry.target),
      ip: context?.ip ?? null,
      details: entry.details ? JSON.stringify(entry.details) : null,
      token_id: token?.id ?? null,
      token_name: token?.name ?? null,
    });
  }

  /**
   * Newest first. `action` ending in "." matches every action under that prefix ("auth." → auth.*);
   * `actor` is exact; `from`/`to` bound the time, both inclusive.
   */
  list(query: AuditFilterQuery & { limit: number; offset: number }): AuditList {
    const page = this.log.page(auditFilterOf(query), query.limit, query.offset);
    return { total: page.total, items: page.items.map(entryOf) };
  }

  /**
   * Every matching entry as CSV lines, newest first, read from the log in slices (the filter is checked
   * before the first line, so a bad one is a 400 and not a broken download).
   */
  csv(query: AuditFilterQuery): AsyncGenerator<string> {
    const filter = auditFilterOf(query);
    const log = this.log;
    return (async function* () {
      yield auditCsvHeader();
      let before = Number.MAX_SAFE_INTEGER;
      for (;;) {
        const rows = log.slice(filter, before, EXPORT_SLICE);
        if (rows.length === 0) return;
        yield rows.map((r) => auditCsvLine(r)).join('');
        before = rows[rows.length - 1]!.id;
        if (rows.length < EXPORT_SLICE) return;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
  }
}

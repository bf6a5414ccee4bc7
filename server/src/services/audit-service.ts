import type { AuditEntry, AuditList } from '@certdesk/shared';
import { nowIso } from '../db/open.js';
import { AppError } from '../errors.js';
import type { ActionFilter, AuditLogStore } from '../store/audit-log.js';

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

export interface AuditListQuery {
  action?: string;
  actor?: string;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** An ISO 8601 instant for a filter bound; a date alone means its start (`from`) or its end (`to`). */
function instant(value: string | undefined, field: 'from' | 'to'): string | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = Date.parse(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value);
  if (!Number.isFinite(ms)) {
    throw new AppError('VALIDATION_ERROR', `"${field}" is not an ISO 8601 date or time.`, { field });
  }
  const day = 24 * 60 * 60 * 1000;
  return new Date(field === 'to' && DATE_ONLY.test(value) ? ms + day : ms).toISOString();
}

/** Who did what, when and from where. Never put a password, token or key in `details`. */
export class AuditService {
  constructor(private readonly log: AuditLogStore) {}

  record(context: AuditContext | null, entry: AuditRecord): void {
    const actor = entry.actor !== undefined ? entry.actor : (context?.user?.username ?? null);
    const token = context?.apiToken ?? null;
    this.log.insert({
      at: nowIso(),
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
   * `actor` is a user name, exactly; `from`/`to` bound the time (`to` excluded).
   */
  list(query: AuditListQuery): AuditList {
    const { action } = query;
    const filter: ActionFilter = !action
      ? { kind: 'all' }
      : action.endsWith('.')
        ? { kind: 'prefix', prefix: action }
        : { kind: 'exact', action };
    const page = this.log.page(
      {
        action: filter,
        actor: query.actor || undefined,
        from: instant(query.from, 'from'),
        to: instant(query.to, 'to'),
      },
      query.limit,
      query.offset,
    );
    return {
      total: page.total,
      items: page.items.map(
        ({ token_id, token_name, ...r }): AuditEntry => ({
          ...r,
          details: r.details ? (JSON.parse(r.details) as AuditEntry['details']) : null,
          token: token_id !== null ? { id: token_id, name: token_name ?? '' } : null,
        }),
      ),
    };
  }
}

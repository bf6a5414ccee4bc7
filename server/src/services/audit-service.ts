import type { AuditEntry, AuditList } from '@certdesk/shared';
import { nowIso } from '../db/open.js';
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
}

/** Who did what, when and from where. Never put a password, token or key in `details`. */
export class AuditService {
  constructor(private readonly log: AuditLogStore) {}

  record(context: AuditContext | null, entry: AuditRecord): void {
    const actor = entry.actor !== undefined ? entry.actor : (context?.user?.username ?? null);
    this.log.insert({
      at: nowIso(),
      actor,
      action: entry.action,
      target: entry.target === undefined || entry.target === null ? null : String(entry.target),
      ip: context?.ip ?? null,
      details: entry.details ? JSON.stringify(entry.details) : null,
    });
  }

  /** Newest first. `action` ending in "." matches every action under that prefix ("auth." → auth.*). */
  list(query: { action?: string; limit: number; offset: number }): AuditList {
    const { action } = query;
    const filter: ActionFilter = !action
      ? { kind: 'all' }
      : action.endsWith('.')
        ? { kind: 'prefix', prefix: action }
        : { kind: 'exact', action };
    const page = this.log.page(filter, query.limit, query.offset);
    return {
      total: page.total,
      items: page.items.map(
        (r): AuditEntry => ({
          ...r,
          details: r.details ? (JSON.parse(r.details) as AuditEntry['details']) : null,
        }),
      ),
    };
  }
}

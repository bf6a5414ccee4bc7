import type { CertificateStatus } from '@certdesk/shared';

/**
 * Inventory status in SQL. Precedence (first match wins): active (settings.activeCertificateId, or any
 * SNI binding) > superseded > expired > pending_key > available. `active` wins over `expired` on purpose:
 * an expired certificate that is still served is the most urgent fact about it; the list carries a
 * separate `expired` flag so it is never hidden.
 *
 * Parameters: `@active` (the active id or -1), `@now` (ISO string: ISO 8601 UTC compares as text) and
 * `@nowMs` (the same instant in ms, for the search rows). Each status also has a predicate of its own
 * that SQLite can answer from an index range (`statusWhere`), so a filter or a count never computes the
 * CASE below for every row.
 */
export const STATUS_SQL = `CASE
    WHEN c.id = @active OR c.id IN (SELECT certificate_id FROM bindings) THEN 'active'
    WHEN c.superseded_by_id IS NOT NULL THEN 'superseded'
    WHEN c.not_after < @now THEN 'expired'
    WHEN c.key_id IS NULL THEN 'pending_key'
    ELSE 'available'
  END`;

/** The order `sort=status` lists them in (the names' alphabetical order, as before). */
export const STATUSES: readonly CertificateStatus[] = [
  'active',
  'available',
  'expired',
  'pending_key',
  'superseded',
];

export type StatusCounts = Record<CertificateStatus, number> & { total: number };

/** Counts, and for a search within one status the ids in its term range (with that raw status). */
export type Counted = Partial<StatusCounts> & { ids?: number[] };

const isActive = (id: string) => `(${id} = @active OR ${id} IN (SELECT certificate_id FROM bindings))`;
const notActive = (id: string) => `${id} <> @active AND ${id} NOT IN (SELECT certificate_id FROM bindings)`;

/**
 * A status as a predicate on `certificates c`, for a page: the unary + keeps SQLite off the partial
 * indexes of migration 3 (which serve the counts): from them it would read each row and sort, where
 * walking the list's own covering index in order reads no row at all.
 */
export function statusWhere(status: CertificateStatus): string {
  switch (status) {
    case 'active':
      return isActive('c.id');
    case 'superseded':
      return `+c.superseded_by_id IS NOT NULL AND ${notActive('c.id')}`;
    case 'expired':
      return `+c.superseded_by_id IS NULL AND c.not_after < @now AND ${notActive('c.id')}`;
    case 'pending_key':
      return `+c.superseded_by_id IS NULL AND +c.key_id IS NULL AND c.not_after >= @now AND ${notActive('c.id')}`;
    case 'available':
      return `+c.superseded_by_id IS NULL AND c.not_after >= @now AND +c.key_id IS NOT NULL AND ${notActive('c.id')}`;
  }
}

/**
 * The status inputs of the copies in `certificate_search` rows (live, not_after_ms, has_key): a coarse
 * filter inside a search's term range. "active" is left to `statusWhere` on the few rows that pass.
 */
export function searchStatusWhere(status: CertificateStatus): string | null {
  switch (status) {
    case 'active':
      return null;
    case 'superseded':
      return 'live = 0';
    case 'expired':
      return 'live = 1 AND not_after_ms < @nowMs';
    case 'pending_key':
      return 'live = 1 AND not_after_ms >= @nowMs AND has_key = 0';
    case 'available':
      return 'live = 1 AND not_after_ms >= @nowMs AND has_key = 1';
  }
}

import type { CertificateStatus } from '@certdesk/shared';
import type Database from 'better-sqlite3';
import type { Db } from '../db/open.js';
import { CountCache } from './certificate-count-cache.js';
import { type Counted, STATUS_SQL, type StatusCounts, searchStatusWhere } from './certificate-status.js';

export type { Counted } from './certificate-status.js';

/** What a list needs counted: its total, one status (a filter), or every status (dashboard, sort by status). */
export type CountNeed = 'total' | CertificateStatus | 'all';

/** A search as a term range (see cert/search-terms.ts), plus certificates it finds outside the range. */
export interface SearchScope {
  key: string;
  lo: string;
  hi: string;
  qlen: number;
  /** Ids found by a covering wildcard name or by their number, and not by the term range. */
  extra: number[];
}

/** Ids kept with a count: enough for any page the collect plan serves, bounded memory per entry. */
const MAX_KEPT_IDS = 5_000;

export interface StatusParams {
  now: string;
  nowMs: number;
  active: number;
}

const IN_RANGE = 'term >= @lo AND term < @hi AND lcp < @qlen';
const ACTIVE_C = '(c.id = @active OR c.id IN (SELECT certificate_id FROM bindings))';

/** The status a row's own columns give it, before "active" (which depends on settings and bindings). */
type RawStatus = Exclude<CertificateStatus, 'active'>;

const statements = (db: Db) => ({
  generation: db.prepare('SELECT n FROM inventory_generation WHERE id = 1').pluck(),
  nextExpiry: db
    .prepare('SELECT min(not_after) FROM certificates WHERE superseded_by_id IS NULL AND not_after >= @now')
    .pluck(),
  // The whole inventory: each an index range (partial indexes of migration 3) or the b-tree's own count.
  total: db.prepare('SELECT count(*) FROM certificates').pluck(),
  superseded: db.prepare('SELECT count(*) FROM certificates WHERE superseded_by_id IS NOT NULL').pluck(),
  // The partial index holds exactly the certificates not superseded, ordered by expiry: the expired ones
  // are its first range. Left alone, SQLite counts them in the wider sort index (~40% slower at 100,000).
  expired: db
    .prepare(
      `SELECT count(*) FROM certificates INDEXED BY certificates_live_not_after
       WHERE superseded_by_id IS NULL AND not_after < @now`,
    )
    .pluck(),
  pending_key: db
    .prepare(
      'SELECT count(*) FROM certificates WHERE superseded_by_id IS NULL AND key_id IS NULL AND not_after >= @now',
    )
    .pluck(),
  // A search: one scan of its term range, one row per matching certificate (the lcp condition).
  searchTotal: db.prepare(`SELECT count(*) FROM certificate_search WHERE ${IN_RANGE}`).pluck(),
  // One status within a search: the matching ids themselves (a count needs the same scan), so the page
  // can reuse them instead of scanning the range again.
  searchIds: Object.fromEntries(
    (['superseded', 'expired', 'pending_key', 'available'] as const).map((status) => [
      status,
      db
        .prepare(
          `SELECT certificate_id FROM certificate_search WHERE ${IN_RANGE} AND ${searchStatusWhere(status)}`,
        )
        .pluck(),
    ]),
  ) as Record<RawStatus, Database.Statement>,
  searchAll: db.prepare(
    `SELECT count(*) AS total, coalesce(sum(live = 0), 0) AS superseded,
       coalesce(sum(live = 1 AND not_after_ms < @nowMs), 0) AS expired,
       coalesce(sum(live = 1 AND not_after_ms >= @nowMs AND has_key = 0), 0) AS pending_key
     FROM certificate_search WHERE ${IN_RANGE}`,
  ),
  // The few active certificates, with the status their columns alone would give them.
  activeRows: db.prepare(
    `SELECT c.id, CASE WHEN c.superseded_by_id IS NOT NULL THEN 'superseded' WHEN c.not_after < @now THEN 'expired'
       WHEN c.key_id IS NULL THEN 'pending_key' ELSE 'available' END AS raw
     FROM certificates c WHERE ${ACTIVE_C}`,
  ),
  inRange: db
    .prepare(
      'SELECT 1 FROM certificate_search WHERE certificate_id = @id AND term >= @lo AND term < @hi LIMIT 1',
    )
    .pluck(),
  statusOf: db.prepare(
    `SELECT ${STATUS_SQL} AS status FROM certificates c WHERE c.id IN (SELECT value FROM json_each(@ids))`,
  ),
});

/**
 * Counts for the inventory list and the dashboard, without a scan per request: index ranges for the
 * whole inventory, one range of the search index for a search, corrected for the few active
 * certificates. Each is kept while it cannot have changed (CountCache): same inventory generation (a
 * trigger counts every write to certificates, bindings and the active setting) and no certificate
 * expired since. So a list counts on its first page; the next pages reuse the total.
 */
export class InventoryCounter {
  private readonly sql: ReturnType<typeof statements>;
  private readonly cache = new CountCache();
  private kept = { generation: -1, total: 0 };

  constructor(db: Db) {
    this.sql = statements(db);
  }

  /** Changes with every write to what the inventory list shows (triggers of migration 3). */
  generation(): number {
    return this.sql.generation.get() as number;
  }

  /**
   * The certificates in the inventory (a page's plan needs it): the b-tree's own count still visits
   * every page of an index (~2 ms at 100,000), so it is kept until the next write.
   */
  total(): number {
    const generation = this.sql.generation.get() as number;
    if (generation !== this.kept.generation)
      this.kept = { generation, total: this.sql.total.get() as number };
    return this.kept.total;
  }

  count(scope: SearchScope | null, need: CountNeed, params: StatusParams): Counted {
    const key = `${scope ? `q:${scope.key}:${scope.extra.join(',')}` : 'all'}|${need}`;
    const generation = this.sql.generation.get() as number;
    const hit = this.cache.get(key, generation, params.nowMs);
    if (hit) return hit;
    const counts = scope ? this.countSearch(scope, need, params) : this.countInventory(need, params);
    const next = this.sql.nextExpiry.get({ now: params.now }) as string | null;
    this.cache.set(key, generation, params.nowMs, next ? Date.parse(next) : Infinity, counts);
    return counts;
  }

  private countInventory(need: CountNeed, params: StatusParams): Partial<StatusCounts> {
    const p = { now: params.now };
    const raw: Partial<Record<RawStatus | 'total', number>> = {};
    const want = (s: RawStatus | 'total') => need === 'all' || need === s;
    // The total is the b-tree's own count (no row visited); "available" is what the others leave of it.
    if (want('total') || want('available')) raw.total = this.sql.total.get() as number;
    if (want('superseded') || want('available')) raw.superseded = this.sql.superseded.get() as number;
    if (want('expired') || want('available')) raw.expired = this.sql.expired.get(p) as number;
    if (want('pending_key') || want('available')) raw.pending_key = this.sql.pending_key.get(p) as number;
    if (want('available')) raw.available = raw.total! - raw.superseded! - raw.expired! - raw.pending_key!;
    if (need !== 'all')
      for (const k of Object.keys(raw) as (keyof typeof raw)[]) if (k !== need) delete raw[k];
    return this.withActive(raw, need, params, () => true);
  }

  private countSearch(scope: SearchScope, need: CountNeed, params: StatusParams): Counted {
    const p = { ...params, lo: scope.lo, hi: scope.hi, qlen: scope.qlen };
    const raw: Partial<Record<RawStatus | 'total', number>> = {};
    let ids: number[] | undefined;
    if (need === 'all') {
      const row = this.sql.searchAll.get(p) as Record<
        'total' | 'superseded' | 'expired' | 'pending_key',
        number
      >;
      Object.assign(raw, row, {
        available: row.total - row.superseded - row.expired - row.pending_key,
      });
    } else if (need === 'total') raw.total = this.sql.searchTotal.get(p) as number;
    else if (need !== 'active') {
      ids = this.sql.searchIds[need].all(p) as number[];
      raw[need] = ids.length;
    }
    const counts: Counted = this.withActive(
      raw,
      need,
      params,
      (id) => !!this.sql.inRange.get({ id, lo: scope.lo, hi: scope.hi }),
    );
    if (scope.extra.length) {
      // Found by a wildcard name or an id, outside the range: counted with their own status.
      const extra = this.sql.statusOf
        .pluck()
        .all({ ...params, ids: JSON.stringify(scope.extra) }) as CertificateStatus[];
      for (const status of extra) {
        if (counts.total !== undefined) counts.total++;
        if (counts[status] !== undefined) counts[status]++;
      }
    }
    // Kept for the page when they are few (the page collects them then); a long list is walked instead.
    if (ids && ids.length <= MAX_KEPT_IDS) counts.ids = ids;
    return counts;
  }

  /** Moves the active certificates in scope from the group their columns put them in to "active". */
  private withActive(
    raw: Partial<Record<RawStatus | 'total', number>>,
    need: CountNeed,
    params: StatusParams,
    inScope: (id: number) => boolean,
  ): Partial<StatusCounts> {
    const counts: Partial<StatusCounts> = { ...raw };
    if (need === 'total') return counts;
    let active = 0;
    for (const row of this.sql.activeRows.all(params) as { id: number; raw: RawStatus }[]) {
      if (!inScope(row.id)) continue;
      active++;
      if (counts[row.raw] !== undefined) counts[row.raw]!--;
    }
    if (need === 'all' || need === 'active') counts.active = active;
    return counts;
  }
}

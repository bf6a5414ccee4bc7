import type { Db } from '../db/open.js';
import type { SearchScope } from './certificate-counts.js';

type Statement = ReturnType<Db['prepare']>;

const IN_RANGE = 'term >= @lo AND term < @hi';

const statements = (db: Db) => ({
  firstTerm: db
    .prepare(`SELECT term FROM certificate_search WHERE ${IN_RANGE} ORDER BY term LIMIT 1`)
    .pluck(),
  lastTerm: db
    .prepare(`SELECT term FROM certificate_search WHERE ${IN_RANGE} ORDER BY term DESC LIMIT 1`)
    .pluck(),
  // The planner, without statistics, takes the primary key for "term = ?" and sorts every match: the
  // index of migration 27 holds them already in this order, so a page is a walk of OFFSET + LIMIT entries.
  termPage: Object.fromEntries(
    (['ASC', 'DESC'] as const).map((dir) => [
      dir,
      db
        .prepare(
          `SELECT certificate_id FROM certificate_search INDEXED BY certificate_search_by_expiry
           WHERE term = @term ORDER BY not_after_ms ${dir}, certificate_id ${dir} LIMIT @limit OFFSET @offset`,
        )
        .pluck(),
    ]),
  ) as Record<'ASC' | 'DESC', Statement>,
});

/**
 * Pages of a large search without a status filter, in the list's order (the sort columns, then the id).
 * Two plans, beside the walk of CertificateQueries.pageIds:
 * - by expiry, when the query's term range holds one term (a domain shared by many hosts, "example.com"):
 *   the page is read from the search index in that order, nothing sorted, nothing kept;
 * - otherwise every match is sorted once and kept for the next pages until the inventory changes (without
 *   a status filter, time changes neither the matches nor their order).
 */
export class SearchOrder {
  private readonly sql: ReturnType<typeof statements>;
  /** The last large search paged past its first pages, sorted. */
  private sorted: { key: string; generation: number; ids: number[] } | null = null;

  constructor(
    db: Db,
    /** Compiles (once) a statement returning one column. */
    private readonly prepared: (sql: string) => Statement,
    private readonly generation: () => number,
  ) {
    this.sql = statements(db);
  }

  /**
   * The one term in the search's range, when it is one and the order is by expiry: every match is then a
   * row of that term (one per certificate: the term and the id are the key), and its lcp is below the
   * query's length (the certificate's previous term sorts before the range, so shares less of it).
   */
  singleTerm(search: SearchScope, sortCols: string[]): string | undefined {
    if (search.extra.length > 0 || sortCols.join() !== 'c.not_after') return undefined;
    const range = { lo: search.lo, hi: search.hi };
    const first = this.sql.firstTerm.get(range) as string | undefined;
    if (first === undefined || first !== this.sql.lastTerm.get(range)) return undefined;
    return first;
  }

  /** A page of the matches of one term by expiry (see singleTerm). */
  termPage(term: string, dir: 'ASC' | 'DESC', limit: number, offset: number): number[] {
    return this.sql.termPage[dir].all({ term, limit, offset }) as number[];
  }

  /**
   * Every match in the list's order. By expiry, the search rows are sorted on their own copy of it,
   * without looking each match up in the certificates.
   */
  sortedSearch(search: SearchScope, sortCols: string[], dir: 'ASC' | 'DESC'): number[] {
    const key = JSON.stringify([search.lo, search.hi, search.qlen, search.extra, sortCols, dir]);
    const generation = this.generation();
    if (this.sorted?.key === key && this.sorted.generation === generation) return this.sorted.ids;
    const p = { lo: search.lo, hi: search.hi, qlen: search.qlen, extra: JSON.stringify(search.extra) };
    const inRange = `SELECT certificate_id FROM certificate_search WHERE ${IN_RANGE} AND lcp < @qlen`;
    const sql =
      search.extra.length === 0 && sortCols.join() === 'c.not_after'
        ? `${inRange} ORDER BY not_after_ms ${dir}, certificate_id ${dir}`
        : `SELECT c.id FROM certificates c WHERE c.id IN (${inRange} UNION ALL SELECT value FROM json_each(@extra))
           ORDER BY ${[...sortCols, 'c.id'].map((col) => `${col} ${dir}`).join(', ')}`;
    const ids = this.prepared(sql).all(p) as number[];
    this.sorted = { key, generation, ids };
    return ids;
  }
}

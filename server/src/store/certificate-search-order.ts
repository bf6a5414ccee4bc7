import type { Db } from '../db/open.js';
import type { SearchScope } from './certificate-counts.js';

type Statement = ReturnType<Db['prepare']>;

const IN_RANGE = 'term >= @lo AND term < @hi';

/** Beyond this many terms in a search's range, merging their index ranges costs more than one sort. */
const MAX_TERMS = 4;

/**
 * The index of each sort order of the list (migration 3), by its ORDER BY terms before the id: each
 * holds the sort columns then the id. By id (createdAt), the table itself is in that order.
 */
const SORT_INDEXES: Record<string, string> = {
  'c.common_name COLLATE NOCASE': 'certificates_by_common_name',
  'c.issuer COLLATE NOCASE': 'certificates_by_issuer',
  'c.not_before': 'certificates_by_not_before',
  'c.not_after': 'certificates_by_not_after',
  'c.key_type,c.key_size,c.curve': 'certificates_by_key_kind',
  'c.serial_number': 'certificates_by_serial',
  'c.thumbprint_sha1': 'certificates_by_thumbprint',
};

const statements = (db: Db) => ({
  firstTerm: db
    .prepare(`SELECT term FROM certificate_search WHERE ${IN_RANGE} ORDER BY term LIMIT 1`)
    .pluck(),
  nextTerm: db
    .prepare('SELECT term FROM certificate_search WHERE term > @after AND term < @hi ORDER BY term LIMIT 1')
    .pluck(),
});

/**
 * A page of the matches of these terms by expiry, then id. The planner, without statistics, takes the
 * primary key for "term = ?" and sorts every match: the index of migration 13 holds them in this order,
 * so each term is a walk of its index range, and several are merged (UNION: a certificate found by two
 * terms has the same expiry and id in both, so it comes once), stopping after OFFSET + LIMIT rows.
 */
export function termPageSql(terms: number, dir: 'ASC' | 'DESC'): string {
  const arms = Array.from(
    { length: terms },
    (_, i) =>
      `SELECT not_after_ms, certificate_id FROM certificate_search INDEXED BY certificate_search_by_expiry
       WHERE term = @t${i}`,
  );
  return `SELECT certificate_id FROM (${arms.join(' UNION ')}
    ORDER BY not_after_ms ${dir}, certificate_id ${dir} LIMIT @limit OFFSET @offset)`;
}

/**
 * Pages of a large search without a status filter, in the list's order (the sort columns, then the id).
 * Two plans, beside the walk of CertificateQueries.pageIds:
 * - by expiry, when the query's term range holds a few terms (a domain shared by many hosts,
 *   "example.com"; "example" finds example.com, .net and .org): the page is read from the search index
 *   in that order (termPageSql), nothing sorted, nothing kept;
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
   * The terms in the search's range, when they are a few and the order is by expiry (else undefined).
   * Every match is then a row of one of them, one per term it has (the term and the id are the key), and
   * the UNION of termPageSql keeps one row per certificate: the lcp column that counts it once is not needed.
   */
  fewTerms(search: SearchScope, sortCols: string[]): string[] | undefined {
    if (search.extra.length > 0 || sortCols.join() !== 'c.not_after') return undefined;
    const terms: string[] = [];
    // Each next term is one seek in the primary key (the range may hold a term per certificate).
    let term = this.sql.firstTerm.get({ lo: search.lo, hi: search.hi }) as string | undefined;
    while (term !== undefined && terms.length <= MAX_TERMS) {
      terms.push(term);
      term = this.sql.nextTerm.get({ after: term, hi: search.hi }) as string | undefined;
    }
    return terms.length > 0 && terms.length <= MAX_TERMS ? terms : undefined;
  }

  /** A page of the matches of these terms by expiry (see fewTerms). */
  termPage(terms: string[], dir: 'ASC' | 'DESC', limit: number, offset: number): number[] {
    const params = Object.fromEntries(terms.map((term, i) => [`t${i}`, term]));
    return this.prepared(termPageSql(terms.length, dir)).all({ ...params, limit, offset }) as number[];
  }

  /**
   * Every match in the list's order. By expiry, the search rows are sorted on their own copy of it,
   * without looking each match up in the certificates. Otherwise the sort's own index is scanned, keeping
   * the matches (a bloom filter and an in-memory set), when they are an eighth of the inventory or more:
   * reading the sort key from each match's row costs ~10× an index entry (a row holds the DER and more).
   */
  sortedSearch(
    search: SearchScope,
    sortCols: string[],
    dir: 'ASC' | 'DESC',
    /** The search's matches over the certificates in the inventory. */
    share: number,
  ): number[] {
    const key = JSON.stringify([search.lo, search.hi, search.qlen, search.extra, sortCols, dir]);
    const generation = this.generation();
    if (this.sorted?.key === key && this.sorted.generation === generation) return this.sorted.ids;
    const p = { lo: search.lo, hi: search.hi, qlen: search.qlen, extra: JSON.stringify(search.extra) };
    const inRange = `SELECT certificate_id FROM certificate_search WHERE ${IN_RANGE} AND lcp < @qlen`;
    const index = share >= 1 / 8 ? SORT_INDEXES[sortCols.join()] : undefined;
    // "+c.id" keeps SQLite from looking each match up in the index by id instead of scanning it in order.
    const matches = `${index ? '+c.id' : 'c.id'} IN (${inRange} UNION ALL SELECT value FROM json_each(@extra))`;
    const sql =
      search.extra.length === 0 && sortCols.join() === 'c.not_after'
        ? `${inRange} ORDER BY not_after_ms ${dir}, certificate_id ${dir}`
        : `SELECT c.id FROM certificates c ${index ? `INDEXED BY ${index}` : ''} WHERE ${matches}
           ORDER BY ${[...sortCols, 'c.id'].map((col) => `${col} ${dir}`).join(', ')}`;
    const ids = this.prepared(sql).all(p) as number[];
    this.sorted = { key, generation, ids };
    return ids;
  }
}

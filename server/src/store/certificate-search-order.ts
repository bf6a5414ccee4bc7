import type { Db } from '../db/open.js';
import type { SearchScope } from './certificate-counts.js';
import { compareSortKeys, type SortKey } from './sort-keys.js';

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
  lastChange: db.prepare('SELECT coalesce(max(seq), 0) FROM certificate_changes').pluck(),
  changesSince: db
    .prepare('SELECT seq, certificate_id FROM certificate_changes WHERE seq > ? ORDER BY seq')
    .raw(),
  hasTermInRange: db
    .prepare(`SELECT 1 FROM certificate_search WHERE certificate_id = @id AND ${IN_RANGE} LIMIT 1`)
    .pluck(),
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

/** A large search sorted in memory: its ids and their sort values, current up to a change of the log. */
interface Kept {
  key: string;
  /** The last change of certificate_changes taken in. */
  seq: number;
  ids: number[];
  /** Each id's sort values (the ORDER BY terms before the id), as stored. */
  keys: SortKey[];
}

/**
 * Pages of a large search without a status filter, in the list's order (the sort columns, then the id).
 * Two plans, beside the walk of CertificateQueries.pageIds:
 * - by expiry, when the query's term range holds a few terms (a domain shared by many hosts,
 *   "example.com"; "example" finds example.com, .net and .org): the page is read from the search index
 *   in that order (termPageSql), nothing sorted, nothing kept;
 * - otherwise every match is sorted once and kept (without a status filter, time changes neither the
 *   matches nor their order). A write does not throw it away: the certificates changed since are read from
 *   certificate_changes (filled by triggers, so writes of the CLI count too) and each is taken out and, if
 *   it still matches, put back where its sort values go. Sorting 34,667 matches of 100,000 again costs
 *   ~60 ms; taking one change in, ~0.1 ms.
 */
export class SearchOrder {
  private readonly sql: ReturnType<typeof statements>;
  /** The last large search paged past its first pages, sorted. */
  private kept: Kept | null = null;
  /** Statements returning rows as arrays (the id, then the sort values), by SQL. */
  private readonly rawStatements = new Map<string, Statement>();

  constructor(
    private readonly db: Db,
    /** Compiles (once) a statement returning one column. */
    private readonly prepared: (sql: string) => Statement,
  ) {
    this.sql = statements(db);
  }

  private raw(sql: string): Statement {
    let statement = this.rawStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql).raw();
      this.rawStatements.set(sql, statement);
    }
    return statement;
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
   * Every match in the list's order: the kept sort with the changes since taken in, or sorted now.
   * `matches` (the search's count) checks the result: a kept sort of another length is sorted again.
   */
  sortedSearch(
    search: SearchScope,
    sortCols: string[],
    dir: 'ASC' | 'DESC',
    matches: number,
    /** The certificates in the inventory. */
    total: number,
  ): number[] {
    const key = JSON.stringify([search.lo, search.hi, search.qlen, search.extra, sortCols, dir]);
    const kept = this.kept?.key === key ? this.kept : null;
    if (kept && this.catchUp(kept, search, sortCols, dir) && kept.ids.length === matches) return kept.ids;
    this.kept = this.sort(key, search, sortCols, dir, matches / total);
    return this.kept.ids;
  }

  /** By expiry without extra ids, the search rows carry their own copy of the expiry (not_after_ms). */
  private static byExpiryCopy(search: SearchScope, sortCols: string[]): boolean {
    return search.extra.length === 0 && sortCols.join() === 'c.not_after';
  }

  /**
   * Sorts every match. By expiry, the search rows are sorted on their own copy of it, without looking
   * each match up in the certificates. Otherwise the sort's own index is scanned, keeping the matches (a
   * bloom filter and an in-memory set), when they are an eighth of the inventory or more: reading the sort
   * key from each match's row costs ~10× an index entry (a row holds the DER and more).
   */
  private sort(key: string, search: SearchScope, sortCols: string[], dir: string, share: number): Kept {
    const seq = this.sql.lastChange.get() as number;
    const p = { lo: search.lo, hi: search.hi, qlen: search.qlen, extra: JSON.stringify(search.extra) };
    const inRange = `SELECT certificate_id FROM certificate_search WHERE ${IN_RANGE} AND lcp < @qlen`;
    const index = share >= 1 / 8 ? SORT_INDEXES[sortCols.join()] : undefined;
    // "+c.id" keeps SQLite from looking each match up in the index by id instead of scanning it in order.
    const matches = `${index ? '+c.id' : 'c.id'} IN (${inRange} UNION ALL SELECT value FROM json_each(@extra))`;
    const sql = SearchOrder.byExpiryCopy(search, sortCols)
      ? `SELECT certificate_id, not_after_ms FROM certificate_search WHERE ${IN_RANGE} AND lcp < @qlen
         ORDER BY not_after_ms ${dir}, certificate_id ${dir}`
      : `SELECT ${['c.id', sortValues(sortCols)].filter(Boolean).join(', ')} FROM certificates c ${index ? `INDEXED BY ${index}` : ''}
         WHERE ${matches} ORDER BY ${[...sortCols, 'c.id'].map((col) => `${col} ${dir}`).join(', ')}`;
    const rows = this.raw(sql).all(p) as [number, ...SortKey][];
    return { key, seq, ids: rows.map((r) => r[0]), keys: rows.map((r) => r.slice(1) as SortKey) };
  }

  /**
   * Takes in the changes logged since the kept sort (false when the log no longer holds them all): each
   * changed certificate is taken out and, when it exists and matches, put back in order.
   */
  private catchUp(kept: Kept, search: SearchScope, sortCols: string[], dir: 'ASC' | 'DESC'): boolean {
    const changes = this.sql.changesSince.all(kept.seq) as [number, number][];
    // None since: unless the log went back (the database file was replaced under this process).
    if (changes.length === 0) return this.sql.lastChange.get() === kept.seq;
    if (changes[0]![0] !== kept.seq + 1) return false;
    const changed = new Set(changes.map((c) => c[1]));
    if (changed.size <= 8) {
      for (const id of changed) {
        const at = kept.ids.indexOf(id);
        if (at >= 0) {
          kept.ids.splice(at, 1);
          kept.keys.splice(at, 1);
        }
      }
    } else {
      let n = 0;
      for (let i = 0; i < kept.ids.length; i++) {
        if (changed.has(kept.ids[i]!)) continue;
        kept.ids[n] = kept.ids[i]!;
        kept.keys[n++] = kept.keys[i]!;
      }
      kept.ids.length = n;
      kept.keys.length = n;
    }
    const valuesOf = SearchOrder.byExpiryCopy(search, sortCols)
      ? this.raw('SELECT not_after_ms FROM certificate_search WHERE certificate_id = ? LIMIT 1')
      : this.raw(`SELECT ${sortValues(sortCols) || 'NULL'} FROM certificates c WHERE c.id = ?`);
    const nocase = sortCols.map((col) => col.endsWith('COLLATE NOCASE'));
    const sign = dir === 'ASC' ? 1 : -1;
    for (const id of changed) {
      const inSearch =
        search.extra.includes(id) || this.sql.hasTermInRange.get({ id, lo: search.lo, hi: search.hi });
      const values = inSearch ? (valuesOf.get(id) as SortKey | undefined) : undefined;
      if (!values) continue;
      const key = sortCols.length === 0 ? [] : values;
      // The first entry that sorts after this one (the order with the id last is total: no ties).
      let lo = 0;
      let hi = kept.ids.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const c = compareSortKeys(kept.keys[mid]!, kept.ids[mid]!, key, id, nocase) * sign;
        if (c < 0) lo = mid + 1;
        else hi = mid;
      }
      kept.ids.splice(lo, 0, id);
      kept.keys.splice(lo, 0, key);
    }
    kept.seq = changes[changes.length - 1]![0];
    return true;
  }
}

/** The sort columns as stored (the collation applies in the ORDER BY and in compareSortKeys). */
function sortValues(sortCols: string[]): string {
  return sortCols.map((col) => col.replace(/ COLLATE NOCASE$/, '')).join(', ');
}

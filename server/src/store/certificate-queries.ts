import type { CertificateStatus, CertificateSummary } from '@certdesk/shared';
import fp from 'fastify-plugin';
import { commonNameOf, compressIpv6, oneLineDn } from '../cert/identity.js';
import { coveringWildcard, prefixRange, queryKey } from '../cert/search-terms.js';
import type { Db } from '../db/open.js';
import {
  type CountNeed,
  InventoryCounter,
  type SearchScope,
  type StatusParams,
} from './certificate-counts.js';
import { SearchOrder } from './certificate-search-order.js';
import {
  STATUS_SQL,
  STATUSES,
  type StatusCounts,
  searchStatusWhere,
  statusWhere,
} from './certificate-status.js';

export { STATUS_SQL, type StatusCounts } from './certificate-status.js';

const DAY_MS = 86_400_000;

/** Columns the inventory needs: never cert_der or the chain, so a page of rows stays small. */
const SUMMARY_COLUMNS = `c.id, c.name, c.key_id, c.subject, c.common_name, c.issuer, c.serial_number, c.subject_alt_names,
  c.not_before, c.not_after, c.key_type, c.key_size, c.curve, c.thumbprint_sha1, c.fingerprint_sha256,
  c.self_signed, c.previous_version_id, c.superseded_by_id, c.created_at`;

export interface SummaryRow {
  id: number;
  name: string | null;
  key_id: number | null;
  subject: string;
  common_name: string | null;
  issuer: string;
  serial_number: string;
  subject_alt_names: string;
  not_before: string;
  not_after: string;
  key_type: string;
  key_size: number | null;
  curve: string | null;
  thumbprint_sha1: string;
  fingerprint_sha256: string;
  self_signed: number;
  previous_version_id: number | null;
  superseded_by_id: number | null;
  created_at: string;
  status: CertificateStatus;
}

/** Sort key → ORDER BY terms; each has an index (migrations 2 and 3), whose last key is the id. */
const SORT_COLUMNS: Record<string, string[]> = {
  commonName: ['c.common_name COLLATE NOCASE'],
  issuer: ['c.issuer COLLATE NOCASE'],
  notBefore: ['c.not_before'],
  notAfter: ['c.not_after'],
  daysLeft: ['c.not_after'],
  keyType: ['c.key_type', 'c.key_size', 'c.curve'],
  serialNumber: ['c.serial_number'],
  thumbprintSha1: ['c.thumbprint_sha1'],
  createdAt: [], // ids grow with creation time
};

export interface ListOptions {
  q?: string;
  status?: CertificateStatus;
  sort?: string;
  order?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
  now?: Date;
}

export function daysLeft(notAfterIso: string, now: Date): number {
  return Math.floor((Date.parse(notAfterIso) - now.getTime()) / DAY_MS);
}

export function toSummary(r: SummaryRow, now: Date): CertificateSummary {
  return {
    id: r.id,
    name: r.name,
    commonName: r.common_name,
    subject: oneLineDn(r.subject),
    issuer: oneLineDn(r.issuer),
    issuerCommonName: commonNameOf(r.issuer),
    serialNumber: r.serial_number,
    // Rows stored before IPv6 was compressed at import still say "0:0:0:0:0:0:0:1".
    subjectAltNames: (JSON.parse(r.subject_alt_names) as string[]).map(compressIpv6),
    notBefore: r.not_before,
    notAfter: r.not_after,
    daysLeft: daysLeft(r.not_after, now),
    expired: Date.parse(r.not_after) < now.getTime(),
    keyType: r.key_type,
    keySize: r.key_size,
    curve: r.curve,
    hasKey: r.key_id !== null,
    thumbprintSha1: r.thumbprint_sha1,
    fingerprintSha256: r.fingerprint_sha256,
    selfSigned: r.self_signed === 1,
    status: r.status,
    previousVersionId: r.previous_version_id,
    supersededById: r.superseded_by_id,
    createdAt: r.created_at,
  };
}

const IN_RANGE = 'term >= @lo AND term < @hi';
/** What walking one certificate of the list's order costs, in rows of a search range read (see pageIds). */
const WALK_ROW_COST = 10;
const ACTIVE_C = '(c.id = @active OR c.id IN (SELECT certificate_id FROM bindings))';

const statements = (db: Db) => ({
  activeId: db.prepare(
    "SELECT json_extract(value, '$.activeCertificateId') AS id FROM kv WHERE key = 'server_settings'",
  ),
  byIds: db.prepare(
    `SELECT ${SUMMARY_COLUMNS}, ${STATUS_SQL} AS status FROM certificates c WHERE c.id IN (SELECT value FROM json_each(@ids))`,
  ),
  summary: db.prepare(
    `SELECT ${SUMMARY_COLUMNS}, ${STATUS_SQL} AS status FROM certificates c WHERE c.id = @id`,
  ),
  nextVersionIds: db.prepare('SELECT id FROM certificates WHERE previous_version_id = ? ORDER BY id DESC'),
  byTerm: db.prepare('SELECT certificate_id FROM certificate_search WHERE term = ?').pluck(),
  exists: db.prepare('SELECT 1 FROM certificates WHERE id = ?').pluck(),
  hasTermInRange: db
    .prepare(`SELECT 1 FROM certificate_search WHERE certificate_id = @id AND ${IN_RANGE} LIMIT 1`)
    .pluck(),
  expiringBetween: db.prepare(
    `SELECT c.id FROM certificates c
     WHERE c.superseded_by_id IS NULL AND c.not_after >= @now AND c.not_after < @until
     ORDER BY c.not_after ASC, c.id ASC LIMIT @limit`,
  ),
  expiredActive: db
    .prepare(
      `SELECT c.id FROM certificates c WHERE ${ACTIVE_C} AND c.superseded_by_id IS NULL AND c.not_after < @now
       ORDER BY c.not_after DESC, c.id DESC`,
    )
    .pluck(),
  expiredOthers: db
    .prepare(
      `SELECT c.id FROM certificates c WHERE ${statusWhere('expired')}
       ORDER BY c.not_after DESC, c.id DESC LIMIT @limit`,
    )
    .pluck(),
});

type Statement = ReturnType<Db['prepare']>;

/** Read-side queries of the inventory: list, one summary, counts, version links, dashboard lists. */
export class CertificateQueries {
  private readonly sql: ReturnType<typeof statements>;
  /** The list's SQL depends on its filters and sort: each variant is compiled once, on first use. */
  private readonly listStatements = new Map<string, Statement>();
  private readonly counter: InventoryCounter;
  private readonly order: SearchOrder;

  constructor(private readonly db: Db) {
    this.sql = statements(db);
    this.counter = new InventoryCounter(db);
    this.order = new SearchOrder(db, (sql) => this.listStatement(sql));
  }

  private listStatement(sql: string): Statement {
    let statement = this.listStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql).pluck();
      this.listStatements.set(sql, statement);
    }
    return statement;
  }

  /** The active certificate id from the HTTPS settings row (-1 when none), a parameter of STATUS_SQL. */
  private activeId(): number {
    const row = this.sql.activeId.get() as { id: number | null } | undefined;
    return row?.id ?? -1;
  }

  private statusParams(now: Date): StatusParams {
    return { now: now.toISOString(), nowMs: now.getTime(), active: this.activeId() };
  }

  /**
   * A page: (1) ids, filtered, sorted and paged over an index; (2) the page's rows by id. The total comes
   * from InventoryCounter (counted on the first page, reused by the next ones), not from a count per page.
   */
  list(opts: ListOptions): { items: CertificateSummary[]; total: number } {
    const now = opts.now ?? new Date();
    const params = this.statusParams(now);
    const q = opts.q?.trim();
    const search = q ? this.resolveSearch(q) : null;
    const bySort = opts.sort === 'status';
    const need: CountNeed = bySort ? 'all' : (opts.status ?? 'total');
    const counts = this.counter.count(search, need, params);
    const total = (opts.status ? counts[opts.status] : counts.total) ?? 0;
    const limit = opts.limit ?? 50;
    const offset = opts.offset ?? 0;
    const dir = opts.order === 'desc' ? 'DESC' : 'ASC';
    let ids: number[] = [];
    if (offset < total && bySort) {
      // Status has no index: page through the statuses in their order, each sorted by id.
      const groups = opts.status ? [opts.status] : dir === 'ASC' ? STATUSES : [...STATUSES].reverse();
      let skip = offset;
      for (const status of groups) {
        const inGroup = counts[status] ?? 0;
        if (ids.length === limit) break;
        if (skip >= inGroup) {
          skip -= inGroup;
          continue;
        }
        ids.push(
          ...this.pageIds(search, status, inGroup, [], dir, limit - ids.length, skip, params, undefined),
        );
        skip = 0;
      }
    } else if (offset < total) {
      const sortCols = SORT_COLUMNS[opts.sort ?? 'notAfter'] ?? ['c.not_after'];
      ids = this.pageIds(search, opts.status, total, sortCols, dir, limit, offset, params, counts.ids);
    }
    return { items: this.byIds(ids, now, params.active), total };
  }

  /** Ids of one page. A search is read from its terms' index (SearchOrder) or joined one of two ways (below). */
  private pageIds(
    search: SearchScope | null,
    status: CertificateStatus | undefined,
    matches: number,
    sortCols: string[],
    dir: 'ASC' | 'DESC',
    limit: number,
    offset: number,
    params: StatusParams,
    /** The search's ids within `status`, when the count collected them. */
    known: number[] | undefined,
  ): number[] {
    const asked = { dir, limit, offset };
    // A page past the middle is read from the other end: OFFSET steps over the rows before it one by one,
    // and the order (sort columns, then the id) is total, so reversed it gives exactly the same rows.
    const fromEnd = offset > 0 && offset < matches && offset + limit / 2 > matches / 2;
    if (fromEnd) {
      limit = Math.min(limit, matches - offset);
      offset = Math.max(0, matches - offset - limit);
      dir = dir === 'ASC' ? 'DESC' : 'ASC';
    }
    const where: string[] = [];
    const terms = search && !status ? this.order.fewTerms(search, sortCols) : undefined;
    if (terms) {
      const ids = this.order.termPage(terms, dir, limit, offset);
      return fromEnd ? ids.reverse() : ids;
    }
    if (search) {
      // Walking an index in the list's order and testing each certificate reads about
      // (offset + limit) × all / matches rows, each with a lookup in the search index (~8 µs at 100,000,
      // ~10× a row read in a range); collecting the matches reads `matches` rows, sorts them once and keeps
      // them for the next pages. The active certificates are a handful: testing each is cheaper still.
      const walk =
        status === 'active' || (WALK_ROW_COST * (offset + limit) * this.counter.total()) / matches < matches;
      if (!walk && !status)
        return this.order
          .sortedSearch(search, sortCols, asked.dir, matches, this.counter.total())
          .slice(asked.offset, asked.offset + asked.limit);
      const extra = 'SELECT value FROM json_each(@extra)';
      where.push(
        walk
          ? `(EXISTS (SELECT 1 FROM certificate_search s
               WHERE s.certificate_id = c.id AND s.term >= @lo AND s.term < @hi) OR c.id IN (${extra}))`
          : known
            ? `c.id IN (SELECT value FROM json_each(@known) UNION ALL ${extra})`
            : `c.id IN (SELECT certificate_id FROM certificate_search WHERE term >= @lo AND term < @hi AND lcp < @qlen
               ${status && searchStatusWhere(status) ? `AND ${searchStatusWhere(status)}` : ''} UNION ALL ${extra})`,
      );
    }
    if (status) where.push(statusWhere(status));
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const orderSql = [...sortCols.map((col) => `${col} ${dir}`), `c.id ${dir}`].join(', ');
    // Collected matches sorted by expiry or id: look them up in the narrow index that holds those and the
    // status columns, not in the rows (whose later columns sit in overflow pages).
    const fromSql =
      search && !where[0]!.startsWith('(EXISTS') && sortCols.every((col) => col === 'c.not_after')
        ? 'certificates c INDEXED BY certificates_by_id'
        : 'certificates c';
    const statement = this.listStatement(
      `SELECT c.id FROM ${fromSql} ${whereSql} ORDER BY ${orderSql} LIMIT @limit OFFSET @offset`,
    );
    const searchParams = search
      ? {
          lo: search.lo,
          hi: search.hi,
          qlen: search.qlen,
          extra: JSON.stringify(search.extra),
          known: JSON.stringify(known ?? []),
        }
      : {};
    const ids = statement.all({ ...params, ...searchParams, limit, offset }) as number[];
    return fromEnd ? ids.reverse() : ids;
  }

  /** The query as a term range, plus what it finds otherwise: a wildcard name covering it, an id. */
  private resolveSearch(q: string): SearchScope {
    const key = queryKey(q);
    const { lo, hi } = prefixRange(key);
    const search: SearchScope = { key, lo, hi, qlen: key.length, extra: [] };
    const candidates = new Set<number>();
    const wildcard = coveringWildcard(key);
    if (wildcard) for (const id of this.sql.byTerm.all(wildcard) as number[]) candidates.add(id);
    if (/^\d+$/.test(q) && Number.isSafeInteger(Number(q)) && this.sql.exists.get(Number(q)))
      candidates.add(Number(q));
    for (const id of candidates) {
      if (!this.sql.hasTermInRange.get({ id, lo, hi })) search.extra.push(id);
    }
    return search;
  }

  /** Phase 2: the summary rows of these ids, in this order (reads only a page of wide rows). */
  private byIds(ids: number[], now: Date, active: number): CertificateSummary[] {
    if (ids.length === 0) return [];
    const rows = this.sql.byIds.all({
      now: now.toISOString(),
      active,
      ids: JSON.stringify(ids),
    }) as SummaryRow[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids
      .map((id) => byId.get(id))
      .filter((r): r is SummaryRow => r !== undefined)
      .map((r) => toSummary(r, now));
  }

  summary(id: number, now = new Date()): CertificateSummary | undefined {
    const row = this.sql.summary.get({ id, now: now.toISOString(), active: this.activeId() }) as
      | SummaryRow
      | undefined;
    return row ? toSummary(row, now) : undefined;
  }

  /** Certificates that name this one as their previous version (newest first). */
  nextVersionIds(id: number): number[] {
    return (this.sql.nextVersionIds.all(id) as { id: number }[]).map((r) => r.id);
  }

  /** How many certificates have each status (the dashboard). */
  counts(now = new Date()): StatusCounts {
    return this.counter.count(null, 'all', this.statusParams(now)) as StatusCounts;
  }

  /** Not superseded, still valid, and expiring before `until`: soonest first. */
  expiringBetween(now: Date, until: Date, limit = 100): CertificateSummary[] {
    const active = this.activeId();
    const ids = this.sql.expiringBetween.all({
      until: until.toISOString(),
      now: now.toISOString(),
      limit,
    }) as { id: number }[];
    return this.byIds(
      ids.map((r) => r.id),
      now,
      active,
    );
  }

  /** Expired and not superseded: the ones still in use first, then the most recently expired. */
  expired(now: Date, limit = 20): CertificateSummary[] {
    const params = this.statusParams(now);
    const inUse = this.sql.expiredActive.all(params) as number[];
    const others = this.sql.expiredOthers.all({ ...params, limit }) as number[];
    return this.byIds([...inUse, ...others].slice(0, limit), now, params.active);
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('certificateQueries', new CertificateQueries(fastify.db));
  },
  { name: 'certificate-queries-repository', dependencies: ['db'] },
);

import type { CertificateStatus, CertificateSummary } from '@certdesk/shared';
import fp from 'fastify-plugin';
import { commonNameOf, compressIpv6, oneLineDn } from '../cert/identity.js';
import type { Db } from '../db/open.js';

const DAY_MS = 86_400_000;

/**
 * Status in SQL, so filter, sort, count and page all agree. Precedence (first match wins):
 * active (settings.activeCertificateId, or any SNI binding) > superseded > expired > pending_key > available.
 * `active` wins over `expired` on purpose: an expired certificate that is still served is the most
 * urgent fact about it; the list carries a separate `expired` flag so it is never hidden.
 * Parameters: `@active` (the active id or -1) and `@now` (ISO string; ISO 8601 UTC compares as text).
 * The binding test is an uncorrelated IN, built once per statement rather than probed per row.
 */
export const STATUS_SQL = `CASE
    WHEN c.id = @active OR c.id IN (SELECT certificate_id FROM bindings) THEN 'active'
    WHEN c.superseded_by_id IS NOT NULL THEN 'superseded'
    WHEN c.not_after < @now THEN 'expired'
    WHEN c.key_id IS NULL THEN 'pending_key'
    ELSE 'available'
  END`;

/** Columns the inventory needs: never cert_der or the chain, so a 10,000-row page stays small. */
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

/** Sort key → ORDER BY terms; every column is in the covering index `certificates_inventory`. */
const SORT_COLUMNS: Record<string, string[]> = {
  commonName: ['c.common_name COLLATE NOCASE'],
  issuer: ['c.issuer COLLATE NOCASE'],
  notBefore: ['c.not_before'],
  notAfter: ['c.not_after'],
  daysLeft: ['c.not_after'],
  status: [STATUS_SQL],
  keyType: ['c.key_type', 'c.key_size', 'c.curve'],
  serialNumber: ['c.serial_number'],
  thumbprintSha1: ['c.thumbprint_sha1'],
  createdAt: ['c.id'], // ids grow with creation time
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

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, '\\$&');
}

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
  counts: db.prepare(
    `SELECT status, count(*) AS n FROM (SELECT ${STATUS_SQL} AS status FROM certificates c) GROUP BY status`,
  ),
  expiringBetween: db.prepare(
    `SELECT c.id FROM certificates c
     WHERE c.not_after >= @now AND c.not_after < @until AND +c.superseded_by_id IS NULL
     ORDER BY c.not_after ASC, c.id ASC LIMIT @limit`,
  ),
  expired: db.prepare(
    `SELECT c.id FROM certificates c WHERE c.not_after < @now AND +c.superseded_by_id IS NULL
     ORDER BY (${STATUS_SQL} = 'active') DESC, c.not_after DESC, c.id DESC LIMIT @limit`,
  ),
});

type Statement = ReturnType<Db['prepare']>;

/** Read-side queries of the inventory: list, one summary, counts, version links, usages. */
export class CertificateQueries {
  private readonly sql: ReturnType<typeof statements>;
  /** The list's SQL depends on its filters and sort: each variant is compiled once, on first use. */
  private readonly listStatements = new Map<string, Statement>();

  constructor(private readonly db: Db) {
    this.sql = statements(db);
  }

  private listStatement(sql: string): Statement {
    let statement = this.listStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.listStatements.set(sql, statement);
    }
    return statement;
  }

  /** The active certificate id from the HTTPS settings row (-1 when none), a parameter of STATUS_SQL. */
  private activeId(): number {
    const row = this.sql.activeId.get() as { id: number | null } | undefined;
    return row?.id ?? -1;
  }

  /**
   * Two phases, so 10,000 rows stay fast: (1) filter, sort and page over the covering index
   * `certificates_inventory` returning ids only; (2) read the page's rows by id.
   */
  list(opts: ListOptions): { items: CertificateSummary[]; total: number } {
    const now = opts.now ?? new Date();
    const params: Record<string, unknown> = { now: now.toISOString(), active: this.activeId() };
    const where: string[] = [];
    const q = opts.q?.trim();
    if (q) {
      // Substring on names (LIKE is case-insensitive for ASCII); prefix on the hex identifiers, which
      // people paste with colons or spaces (Windows shows "a1 b2 …").
      const ors = [
        `c.common_name LIKE @like ESCAPE '\\'`,
        `c.san_text LIKE @like ESCAPE '\\'`,
        `c.issuer LIKE @like ESCAPE '\\'`,
      ];
      params.like = `%${escapeLike(q)}%`;
      const hex = q.replace(/[:\s]/g, '').toUpperCase();
      if (/^[0-9A-F]+$/.test(hex)) {
        // A prefix as a range: cheaper than LIKE, and exact for upper-case hex.
        params.hexLo = hex;
        params.hexHi = `${hex}\uffff`;
        ors.push(
          '(c.serial_number >= @hexLo AND c.serial_number < @hexHi)',
          '(c.thumbprint_sha1 >= @hexLo AND c.thumbprint_sha1 < @hexHi)',
        );
      }
      if (/^\d+$/.test(q)) {
        params.id = Number(q);
        ors.push('c.id = @id');
      }
      where.push(`(${ors.join(' OR ')})`);
    }
    if (opts.status) {
      params.status = opts.status;
      where.push(`${STATUS_SQL} = @status`);
    }
    const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const dir = opts.order === 'desc' ? 'DESC' : 'ASC';
    const sortCols = SORT_COLUMNS[opts.sort ?? 'notAfter'] ?? ['c.not_after'];
    const orderSql = [...sortCols.map((col) => `${col} ${dir}`), `c.id ${dir}`].join(', ');
    const limit = opts.limit ?? 50;
    const offset = opts.offset ?? 0;
    const pageIds = (
      this.listStatement(
        `SELECT c.id FROM certificates c ${whereSql} ORDER BY ${orderSql} LIMIT @limit OFFSET @offset`,
      ).all({ ...params, limit, offset }) as { id: number }[]
    ).map((r) => r.id);
    // A short page is the last one, so it already tells the total: no second scan (a rare search term
    // would otherwise cost two full scans). A full page usually stops early, so counting stays one scan.
    const total =
      pageIds.length < limit && (pageIds.length > 0 || offset === 0)
        ? offset + pageIds.length
        : (
            this.listStatement(`SELECT count(*) AS n FROM certificates c ${whereSql}`).get(params) as {
              n: number;
            }
          ).n;
    return { items: this.byIds(pageIds, now, params.active as number), total };
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

  counts(now = new Date()): Record<CertificateStatus, number> & { total: number } {
    const rows = this.sql.counts.all({ now: now.toISOString(), active: this.activeId() }) as {
      status: CertificateStatus;
      n: number;
    }[];
    const out = { total: 0, active: 0, available: 0, pending_key: 0, expired: 0, superseded: 0 };
    for (const r of rows) {
      out[r.status] = r.n;
      out.total += r.n;
    }
    return out;
  }

  /**
   * Not superseded, still valid, and expiring before `until`: soonest first. The unary `+` keeps SQLite
   * off the superseded_by index (almost every row is NULL there) and on the not_after range.
   */
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
    const active = this.activeId();
    const ids = this.sql.expired.all({ now: now.toISOString(), active, limit }) as { id: number }[];
    return this.byIds(
      ids.map((r) => r.id),
      now,
      active,
    );
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('certificateQueries', new CertificateQueries(fastify.db));
  },
  { name: 'certificate-queries-repository', dependencies: ['db'] },
);

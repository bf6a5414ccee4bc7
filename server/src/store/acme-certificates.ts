import fp from 'fastify-plugin';
import type { Db } from '../db/open.js';

/** One ACME-managed certificate: how it was ordered (to order it again) and its renewal state. */
export interface AcmeCertificateRow {
  certificate_id: number;
  account_id: number;
  order_id: number;
  names: string;
  key_spec: string;
  challenge: 'http-01' | 'dns-01';
  dns_hook: string | null;
  next_check_at: string;
  attempts: number;
  last_error: string | null;
  ari_start: string | null;
  ari_end: string | null;
  ari_pick: string | null;
}

/** What the scheduler reads per due certificate: the renewal state plus the certificate's dates. */
export interface DueCertificate extends AcmeCertificateRow {
  not_before: string;
  not_after: string;
  cert_der: Buffer;
}

export type RenewalState = Pick<
  AcmeCertificateRow,
  'next_check_at' | 'attempts' | 'last_error' | 'ari_start' | 'ari_end' | 'ari_pick'
>;

const statements = (db: Db) => ({
  insert: db.prepare(
    `INSERT INTO acme_certificates (certificate_id, account_id, order_id, names, key_spec, challenge, dns_hook,
       next_check_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  get: db.prepare('SELECT * FROM acme_certificates WHERE certificate_id = ?'),
  supersededBy: db
    .prepare(
      `SELECT c.superseded_by_id FROM acme_certificates a JOIN certificates c ON c.id = a.certificate_id
       WHERE a.certificate_id = ?`,
    )
    .pluck(),
  // The index on next_check_at makes this a range read however many certificates there are.
  due: db.prepare(
    `SELECT a.*, c.not_before, c.not_after, c.cert_der FROM acme_certificates a
       JOIN certificates c ON c.id = a.certificate_id
     WHERE a.next_check_at <= ? AND c.superseded_by_id IS NULL
     ORDER BY a.next_check_at LIMIT ?`,
  ),
  state: db.prepare(
    `UPDATE acme_certificates SET next_check_at = @next_check_at, attempts = @attempts, last_error = @last_error,
       ari_start = @ari_start, ari_end = @ari_end, ari_pick = @ari_pick WHERE certificate_id = @certificate_id`,
  ),
  count: db.prepare('SELECT count(*) AS n FROM acme_certificates'),
});

/** The acme_certificates table: the marker "source: acme" and what the renewal scheduler needs. */
export class AcmeCertificateStore {
  private readonly sql: ReturnType<typeof statements>;

  constructor(db: Db) {
    this.sql = statements(db);
  }

  insert(
    row: Omit<AcmeCertificateRow, 'attempts' | 'last_error' | 'ari_start' | 'ari_end' | 'ari_pick'>,
  ): void {
    this.sql.insert.run(
      row.certificate_id,
      row.account_id,
      row.order_id,
      row.names,
      row.key_spec,
      row.challenge,
      row.dns_hook,
      row.next_check_at,
    );
  }

  get(certificateId: number): AcmeCertificateRow | undefined {
    return this.sql.get.get(certificateId) as AcmeCertificateRow | undefined;
  }

  /** The newer version that replaced this ACME certificate, or null while it is the current one. */
  supersededBy(certificateId: number): number | null {
    return (this.sql.supersededBy.get(certificateId) as number | null | undefined) ?? null;
  }

  /** Current (not superseded) ACME certificates whose next check is due, earliest first. */
  due(nowIso: string, limit: number): DueCertificate[] {
    return this.sql.due.all(nowIso, limit) as DueCertificate[];
  }

  setState(certificateId: number, state: RenewalState): void {
    this.sql.state.run({ certificate_id: certificateId, ...state });
  }

  count(): number {
    return (this.sql.count.get() as { n: number }).n;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('acmeCertificates', new AcmeCertificateStore(fastify.db));
  },
  { name: 'acme-certificates-repository', dependencies: ['db'] },
);

import fp from 'fastify-plugin';
import type { Db } from '../db/open.js';

export interface ReminderCandidate {
  id: number;
  not_before: string;
  not_after: string;
}

/**
 * ACME-managed certificates renew by themselves and are not reminded of. The ACME feature marks them with
 * a `source` column on certificates ('acme'); until that column exists every certificate is renewed by
 * hand. Detected once, when the statements are prepared.
 */
function excludeAcmeManagedSql(db: Db): string {
  const columns = db.prepare('PRAGMA table_info(certificates)').all() as { name: string }[];
  return columns.some((c) => c.name === 'source') ? "AND coalesce(c.source, '') != 'acme'" : '';
}

const statements = (db: Db) => {
  const notAcme = excludeAcmeManagedSql(db);
  return {
    // The live-certificates index on not_after serves the range; superseded versions were renewed already.
    candidates: db.prepare(
      `SELECT c.id, c.not_before, c.not_after FROM certificates c
       WHERE c.superseded_by_id IS NULL AND c.not_after > @from AND c.not_after <= @until ${notAcme}
         AND (c.not_after > @afterNotAfter OR (c.not_after = @afterNotAfter AND c.id > @afterId))
       ORDER BY c.not_after ASC, c.id ASC LIMIT @limit`,
    ),
    one: db.prepare(
      `SELECT c.id, c.not_before, c.not_after FROM certificates c
       WHERE c.id = ? AND c.superseded_by_id IS NULL ${notAcme}`,
    ),
    generation: db.prepare('SELECT n FROM inventory_generation WHERE id = 1').pluck(),
    sentFor: db.prepare('SELECT threshold FROM reminders_sent WHERE certificate_id = ?').pluck(),
    record: db.prepare(
      `INSERT INTO reminders_sent (certificate_id, threshold, crossed_at, sent_at) VALUES (?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
    ),
  };
};

/** The reminders_sent table (one row per certificate and threshold notified) and the certificates to check. */
export class RemindersSentStore {
  private readonly sql: ReturnType<typeof statements>;

  constructor(db: Db) {
    this.sql = statements(db);
  }

  /**
   * Live certificates (not superseded, not ACME-managed) expiring in (from, until], by expiry then id,
   * after the (notAfter, id) cursor: the pass reads them in bounded pages.
   */
  candidates(
    from: string,
    until: string,
    limit: number,
    after: { notAfter: string; id: number } = { notAfter: '', id: 0 },
  ): ReminderCandidate[] {
    return this.sql.candidates.all({
      from,
      until,
      limit,
      afterId: after.id,
      afterNotAfter: after.notAfter,
    }) as ReminderCandidate[];
  }

  /** One certificate, when it is live and renewed by hand. */
  candidate(id: number): ReminderCandidate | undefined {
    return this.sql.one.get(id) as ReminderCandidate | undefined;
  }

  /** Bumped by triggers on any certificate write (this process or the CLI's): nothing changed while equal. */
  inventoryGeneration(): number {
    return this.sql.generation.get() as number;
  }

  sentFor(certificateId: number): Set<string> {
    return new Set(this.sql.sentFor.all(certificateId) as string[]);
  }

  /** Records a threshold as notified; false when it already was (another pass got there first). */
  record(certificateId: number, threshold: string, crossedAt: string, sentAt: string): boolean {
    return this.sql.record.run(certificateId, threshold, crossedAt, sentAt).changes === 1;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('remindersSent', new RemindersSentStore(fastify.db));
  },
  { name: 'reminders-sent-repository', dependencies: ['db'] },
);

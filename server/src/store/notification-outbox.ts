import fp from 'fastify-plugin';
import type { Db } from '../db/open.js';

export interface OutboxRow {
  id: number;
  event: string;
  subject: string;
  channel: 'email' | 'webhook';
  webhook_url: string | null;
  webhook_format: string | null;
  message_json: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  last_error: string | null;
  next_attempt_at: number | null;
  created_at: string;
  sent_at: string | null;
}

export interface NewDelivery {
  event: string;
  subject: string;
  channel: 'email' | 'webhook';
  webhookUrl?: string | null;
  webhookFormat?: string | null;
  messageJson: string;
  createdAt: string;
  /** Epoch ms; null records a delivery already decided (the "send test" button's). */
  nextAttemptAt: number | null;
  status?: OutboxRow['status'];
  attempts?: number;
  lastError?: string | null;
  sentAt?: string | null;
}

const statements = (db: Db) => ({
  insert: db.prepare(
    `INSERT INTO notification_outbox (event, subject, channel, webhook_url, webhook_format, message_json,
       status, attempts, last_error, next_attempt_at, created_at, sent_at)
     VALUES (@event, @subject, @channel, @webhookUrl, @webhookFormat, @messageJson, @status, @attempts,
       @lastError, @nextAttemptAt, @createdAt, @sentAt)`,
  ),
  due: db.prepare(
    `SELECT * FROM notification_outbox WHERE status = 'pending' AND next_attempt_at <= ?
     ORDER BY next_attempt_at, id LIMIT ?`,
  ),
  nextDue: db
    .prepare(`SELECT min(next_attempt_at) FROM notification_outbox WHERE status = 'pending'`)
    .pluck(),
  sent: db.prepare(
    `UPDATE notification_outbox SET status = 'sent', attempts = attempts + 1, last_error = NULL,
       next_attempt_at = NULL, sent_at = ? WHERE id = ?`,
  ),
  retry: db.prepare(
    `UPDATE notification_outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?`,
  ),
  failed: db.prepare(
    `UPDATE notification_outbox SET status = 'failed', attempts = attempts + 1, last_error = ?,
       next_attempt_at = NULL WHERE id = ?`,
  ),
  claim: db.prepare(
    `UPDATE notification_outbox SET next_attempt_at = ?
     WHERE id = ? AND status = 'pending' AND next_attempt_at = ?`,
  ),
  recent: db.prepare('SELECT * FROM notification_outbox ORDER BY id DESC LIMIT ?'),
  prune: db.prepare(`DELETE FROM notification_outbox WHERE status != 'pending' AND id <= ?`),
});

/** The notification_outbox table: every message to deliver, with its attempts and last error. */
export class NotificationOutboxStore {
  private readonly sql: ReturnType<typeof statements>;

  constructor(db: Db) {
    this.sql = statements(db);
  }

  insert(d: NewDelivery): number {
    return Number(
      this.sql.insert.run({
        webhookUrl: null,
        webhookFormat: null,
        status: 'pending',
        attempts: 0,
        lastError: null,
        sentAt: null,
        ...d,
      }).lastInsertRowid,
    );
  }

  /** Pending deliveries due at `nowMs`, oldest first. */
  due(nowMs: number, limit: number): OutboxRow[] {
    return this.sql.due.all(nowMs, limit) as OutboxRow[];
  }

  /** When the next pending delivery is due (epoch ms), or null when none is pending. */
  nextDueAt(): number | null {
    return (this.sql.nextDue.get() as number | null) ?? null;
  }

  /**
   * Takes a due delivery for one sender: moves its due time to `untilMs` only if nobody moved it since it was
   * read. The server and a command-line run may drain the same outbox; only the one whose claim lands sends.
   */
  claim(id: number, readNextAttemptAt: number, untilMs: number): boolean {
    return this.sql.claim.run(untilMs, id, readNextAttemptAt).changes === 1;
  }

  markSent(id: number, at: string): void {
    this.sql.sent.run(at, id);
  }

  markRetry(id: number, error: string, nextAttemptAt: number): void {
    this.sql.retry.run(error, nextAttemptAt, id);
  }

  markFailed(id: number, error: string): void {
    this.sql.failed.run(error, id);
  }

  recent(limit: number): OutboxRow[] {
    return this.sql.recent.all(limit) as OutboxRow[];
  }

  /** Drops finished deliveries older than the `keep` newest rows (the table stays small). */
  prune(keep: number): void {
    const newest = this.recent(1)[0];
    if (newest && newest.id > keep) this.sql.prune.run(newest.id - keep);
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('notificationOutbox', new NotificationOutboxStore(fastify.db));
  },
  { name: 'notification-outbox-repository', dependencies: ['db'] },
);

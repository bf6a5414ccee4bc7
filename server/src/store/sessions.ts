import fp from 'fastify-plugin';
import type { Db } from '../db/open.js';

/** A session with its user; times are epoch milliseconds. */
export interface SessionWithUser {
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
  id: number;
  username: string;
}

const statements = (db: Db) => ({
  insert: db.prepare(
    `INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, ip, user_agent)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ),
  withUser: db.prepare(
    `SELECT s.csrf_token, s.created_at, s.last_seen_at, u.id, u.username
     FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`,
  ),
  touch: db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?'),
  delete: db.prepare('DELETE FROM sessions WHERE id_hash = ?'),
  prune: db.prepare('DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?'),
});

/** The sessions table, keyed by the sha256 of the cookie value (the raw id is never stored). */
export class SessionStore {
  private readonly sql: ReturnType<typeof statements>;

  constructor(db: Db) {
    this.sql = statements(db);
  }

  insert(session: {
    idHash: string;
    userId: number;
    csrfToken: string;
    now: number;
    ip: string;
    userAgent: string | null;
  }): void {
    const s = session;
    this.sql.insert.run(s.idHash, s.userId, s.csrfToken, s.now, s.now, s.ip, s.userAgent);
  }

  findWithUser(idHash: string): SessionWithUser | undefined {
    return this.sql.withUser.get(idHash) as SessionWithUser | undefined;
  }

  touch(idHash: string, now: number): void {
    this.sql.touch.run(now, idHash);
  }

  delete(idHash: string): void {
    this.sql.delete.run(idHash);
  }

  /** Deletes sessions idle since before `idleBefore` or created before `createdBefore`. */
  prune(idleBefore: number, createdBefore: number): void {
    this.sql.prune.run(idleBefore, createdBefore);
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('sessions', new SessionStore(fastify.db));
  },
  { name: 'sessions-repository', dependencies: ['db'] },
);

import type { Role } from '@certdesk/shared';
import fp from 'fastify-plugin';
import type { Db } from '../db/open.js';

/** A session with its user; times are epoch milliseconds. */
export interface SessionWithUser {
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
  id: number;
  username: string;
  role: Role;
  disabled: number;
  must_change_password: number;
}

const statements = (db: Db) => ({
  insert: db.prepare(
    `INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, ip, user_agent, secure)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  withUser: db.prepare(
    `SELECT s.csrf_token, s.created_at, s.last_seen_at, u.id, u.username, u.role, u.disabled,
       u.must_change_password
     FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`,
  ),
  touch: db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?'),
  delete: db.prepare('DELETE FROM sessions WHERE id_hash = ?'),
  prune: db.prepare('DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?'),
  rekeySecure: db.prepare('UPDATE sessions SET id_hash = ?, secure = 1 WHERE id_hash = ?'),
  deleteInsecure: db.prepare('DELETE FROM sessions WHERE secure = 0'),
  deleteOfUser: db.prepare('DELETE FROM sessions WHERE user_id = ?'),
  deleteOfUserExcept: db.prepare('DELETE FROM sessions WHERE user_id = ? AND id_hash <> ?'),
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
    /** The cookie was set over HTTPS with the Secure flag. */
    secure: boolean;
  }): void {
    const s = session;
    this.sql.insert.run(s.idHash, s.userId, s.csrfToken, s.now, s.now, s.ip, s.userAgent, s.secure ? 1 : 0);
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

  /** Gives a session a new id and marks its cookie Secure; false when there is no such session. */
  rekeySecure(idHash: string, newIdHash: string): boolean {
    return this.sql.rekeySecure.run(newIdHash, idHash).changes > 0;
  }

  /** Ends every session whose cookie was set over plain HTTP; returns how many. */
  deleteInsecure(): number {
    return this.sql.deleteInsecure.run().changes;
  }

  /** Ends every session of the user, but the one with `exceptIdHash` when given; returns how many. */
  deleteOfUser(userId: number, exceptIdHash?: string): number {
    const result =
      exceptIdHash === undefined
        ? this.sql.deleteOfUser.run(userId)
        : this.sql.deleteOfUserExcept.run(userId, exceptIdHash);
    return result.changes;
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

import fp from 'fastify-plugin';
import type { Db } from '../db/open.js';
import { nowIso } from '../db/open.js';

export interface UserRow {
  id: number;
  username: string;
  password_hash: string;
}

const statements = (db: Db) => ({
  count: db.prepare('SELECT count(*) AS n FROM users'),
  insert: db.prepare('INSERT INTO users (username, password_hash, created_at) VALUES (?, ?, ?)'),
  byUsername: db.prepare('SELECT id, username, password_hash FROM users WHERE username = ?'),
  setPasswordHash: db.prepare('UPDATE users SET password_hash = ? WHERE id = ?'),
});

/** The users table (administrator accounts; passwords as argon2id hashes). */
export class UserStore {
  private readonly sql: ReturnType<typeof statements>;

  constructor(db: Db) {
    this.sql = statements(db);
  }

  count(): number {
    return (this.sql.count.get() as { n: number }).n;
  }

  insert(username: string, passwordHash: string): number {
    return Number(this.sql.insert.run(username, passwordHash, nowIso()).lastInsertRowid);
  }

  findByUsername(username: string): UserRow | undefined {
    return this.sql.byUsername.get(username) as UserRow | undefined;
  }

  setPasswordHash(id: number, passwordHash: string): void {
    this.sql.setPasswordHash.run(passwordHash, id);
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('users', new UserStore(fastify.db));
  },
  { name: 'users-repository', dependencies: ['db'] },
);

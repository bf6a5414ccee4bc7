import fp from 'fastify-plugin';
import type { Db } from '../db/open.js';

export interface ApiTokenRow {
  id: number;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string;
}

export interface ApiTokenWithUser {
  token_id: number;
  last_used_at: string | null;
  expires_at: string;
  id: number;
  username: string;
}

const statements = (db: Db) => ({
  insert: db.prepare(
    `INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ),
  byHash: db.prepare(
    `SELECT t.id AS token_id, t.last_used_at, t.expires_at, u.id, u.username FROM api_tokens t
     JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`,
  ),
  touch: db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?'),
  ofUser: db.prepare(
    `SELECT id, name, prefix, created_at, last_used_at, expires_at FROM api_tokens
     WHERE user_id = ? ORDER BY id`,
  ),
  nameOfUser: db.prepare('SELECT name FROM api_tokens WHERE id = ? AND user_id = ?'),
  delete: db.prepare('DELETE FROM api_tokens WHERE id = ?'),
});

/** The api_tokens table: only a hash of each token is stored, with a short prefix to recognise it. */
export class ApiTokenStore {
  private readonly sql: ReturnType<typeof statements>;

  constructor(db: Db) {
    this.sql = statements(db);
  }

  insert(token: {
    userId: number;
    name: string;
    tokenHash: string;
    prefix: string;
    createdAt: string;
    expiresAt: string;
  }): number {
    const t = token;
    return Number(
      this.sql.insert.run(t.userId, t.name, t.tokenHash, t.prefix, t.createdAt, t.expiresAt).lastInsertRowid,
    );
  }

  findByHash(tokenHash: string): ApiTokenWithUser | undefined {
    return this.sql.byHash.get(tokenHash) as ApiTokenWithUser | undefined;
  }

  touch(id: number, at: string): void {
    this.sql.touch.run(at, id);
  }

  listOfUser(userId: number): ApiTokenRow[] {
    return this.sql.ofUser.all(userId) as ApiTokenRow[];
  }

  /** The token's name when it belongs to this user. */
  nameOf(id: number, userId: number): string | undefined {
    return (this.sql.nameOfUser.get(id, userId) as { name: string } | undefined)?.name;
  }

  delete(id: number): void {
    this.sql.delete.run(id);
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('apiTokens', new ApiTokenStore(fastify.db));
  },
  { name: 'api-tokens-repository', dependencies: ['db'] },
);

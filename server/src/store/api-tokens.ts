import type { Role } from '@certdesk/shared';
import fp from 'fastify-plugin';
import type { Db } from '../db/open.js';

export interface ApiTokenRow {
  id: number;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string;
  role: Role | null;
  username: string;
}

export interface ApiTokenWithUser {
  token_id: number;
  token_name: string;
  token_role: Role | null;
  last_used_at: string | null;
  expires_at: string;
  id: number;
  username: string;
  role: Role;
  disabled: number;
  must_change_password: number;
}

const LIST = `SELECT t.id, t.name, t.prefix, t.created_at, t.last_used_at, t.expires_at, t.role, u.username
  FROM api_tokens t JOIN users u ON u.id = t.user_id`;

const statements = (db: Db) => ({
  insert: db.prepare(
    `INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at, expires_at, role)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ),
  byHash: db.prepare(
    `SELECT t.id AS token_id, t.name AS token_name, t.role AS token_role, t.last_used_at, t.expires_at,
       u.id, u.username, u.role, u.disabled, u.must_change_password FROM api_tokens t
     JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`,
  ),
  touch: db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?'),
  ofUser: db.prepare(`${LIST} WHERE t.user_id = ? ORDER BY t.id`),
  all: db.prepare(`${LIST} ORDER BY t.id`),
  nameOfUser: db.prepare('SELECT name FROM api_tokens WHERE id = ? AND user_id = ?'),
  nameOf: db.prepare('SELECT name FROM api_tokens WHERE id = ?'),
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
    /** A narrower role than the account's; null: the account's. */
    role: Role | null;
  }): number {
    const t = token;
    return Number(
      this.sql.insert.run(t.userId, t.name, t.tokenHash, t.prefix, t.createdAt, t.expiresAt, t.role)
        .lastInsertRowid,
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

  /** Every account's tokens (an administrator's view). */
  listAll(): ApiTokenRow[] {
    return this.sql.all.all() as ApiTokenRow[];
  }

  /** The token's name when it belongs to this user (any user's when `userId` is null). */
  nameOf(id: number, userId: number | null): string | undefined {
    const row = userId === null ? this.sql.nameOf.get(id) : this.sql.nameOfUser.get(id, userId);
    return (row as { name: string } | undefined)?.name;
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

import type { Role } from '@certdesk/shared';
import fp from 'fastify-plugin';
import type { Db } from '../db/open.js';
import { nowIso } from '../db/open.js';

export interface UserRow {
  id: number;
  username: string;
  password_hash: string;
  role: Role;
  disabled: number;
  must_change_password: number;
  created_at: string;
}

export type UserListRow = Omit<UserRow, 'password_hash'>;

const LIST_COLUMNS = 'id, username, role, disabled, must_change_password, created_at';

const statements = (db: Db) => ({
  count: db.prepare('SELECT count(*) AS n FROM users'),
  enabledAdmins: db.prepare("SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled = 0"),
  insert: db.prepare(
    `INSERT INTO users (username, password_hash, created_at, role, must_change_password)
     VALUES (?, ?, ?, ?, ?)`,
  ),
  byUsername: db.prepare(`SELECT ${LIST_COLUMNS}, password_hash FROM users WHERE username = ?`),
  byId: db.prepare(`SELECT ${LIST_COLUMNS} FROM users WHERE id = ?`),
  list: db.prepare(`SELECT ${LIST_COLUMNS} FROM users ORDER BY username COLLATE NOCASE, id`),
  setPasswordHash: db.prepare('UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?'),
  setRole: db.prepare('UPDATE users SET role = ? WHERE id = ?'),
  setDisabled: db.prepare('UPDATE users SET disabled = ? WHERE id = ?'),
  delete: db.prepare('DELETE FROM users WHERE id = ?'),
});

/** The users table (accounts with a role; passwords as argon2id hashes). */
export class UserStore {
  private readonly sql: ReturnType<typeof statements>;

  constructor(db: Db) {
    this.sql = statements(db);
  }

  count(): number {
    return (this.sql.count.get() as { n: number }).n;
  }

  /** Administrators who can still sign in: never to drop to zero. */
  countEnabledAdmins(): number {
    return (this.sql.enabledAdmins.get() as { n: number }).n;
  }

  insert(username: string, passwordHash: string, role: Role = 'admin', mustChangePassword = false): number {
    return Number(
      this.sql.insert.run(username, passwordHash, nowIso(), role, mustChangePassword ? 1 : 0).lastInsertRowid,
    );
  }

  findByUsername(username: string): UserRow | undefined {
    return this.sql.byUsername.get(username) as UserRow | undefined;
  }

  findById(id: number): UserListRow | undefined {
    return this.sql.byId.get(id) as UserListRow | undefined;
  }

  list(): UserListRow[] {
    return this.sql.list.all() as UserListRow[];
  }

  /** `mustChange`: the hash is of a one-time password, to be replaced at the next sign-in. */
  setPasswordHash(id: number, passwordHash: string, mustChange = false): void {
    this.sql.setPasswordHash.run(passwordHash, mustChange ? 1 : 0, id);
  }

  setRole(id: number, role: Role): void {
    this.sql.setRole.run(role, id);
  }

  setDisabled(id: number, disabled: boolean): void {
    this.sql.setDisabled.run(disabled ? 1 : 0, id);
  }

  /** Sessions and API tokens go with the account (ON DELETE CASCADE). */
  delete(id: number): void {
    this.sql.delete.run(id);
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('users', new UserStore(fastify.db));
  },
  { name: 'users-repository', dependencies: ['db'] },
);

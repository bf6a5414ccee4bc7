import crypto from 'node:crypto';
import argon2 from 'argon2';
import fp from 'fastify-plugin';
import type { Db } from '../../db/open.js';
import { nowIso } from '../../db/open.js';
import { AppError } from '../../errors.js';
import { SignInThrottle } from '../../services/throttle.js';
import { KnownAddressStore } from '../../store/known-addresses.js';
import type { RequestUser } from '../../types.js';

export const SESSION_COOKIE = 'certdesk_session';
export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
const TOKEN_PREFIX = 'cdk_';

const sha256 = (value: string) => crypto.createHash('sha256').update(value).digest('hex');
const randomToken = (bytes = 32) => crypto.randomBytes(bytes).toString('base64url');

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** Accounts, sessions (server side) and API tokens (hashed at rest). */
export class AuthService {
  readonly throttle: SignInThrottle;
  // Verifying against a dummy hash keeps "no such user" as slow as "wrong password".
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly db: Db) {
    this.throttle = new SignInThrottle(new KnownAddressStore(db));
  }

  hashPassword(password: string): Promise<string> {
    // OWASP: argon2id, m=19 MiB, t=2, p=1.
    return argon2.hash(password, { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  }

  userCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
  }

  async createUser(username: string, password: string): Promise<RequestUser> {
    const hash = await this.hashPassword(password);
    const r = this.db
      .prepare('INSERT INTO users (username, password_hash, created_at) VALUES (?, ?, ?)')
      .run(username, hash, nowIso());
    return { id: Number(r.lastInsertRowid), username };
  }

  /** The user when the password is right, else null. Constant work whether or not the user exists. */
  async verifyPassword(username: string, password: string): Promise<RequestUser | null> {
    const row = this.db
      .prepare('SELECT id, username, password_hash FROM users WHERE username = ?')
      .get(username) as { id: number; username: string; password_hash: string } | undefined;
    if (!row) {
      this.dummyHash ??= this.hashPassword(randomToken());
      await argon2.verify(await this.dummyHash, password).catch(() => false);
      return null;
    }
    const ok = await argon2.verify(row.password_hash, password).catch(() => false);
    return ok ? { id: row.id, username: row.username } : null;
  }

  /**
   * Asks for the signed-in user's password again before a key leaves the server. Throttled like sign-in
   * (services/throttle.ts): a stolen session or token must not become an unlimited password oracle.
   */
  async reauthenticate(user: RequestUser, password: string | undefined, ip: string): Promise<void> {
    if (!password) throw new AppError('REAUTH_FAILED');
    const attempt = this.throttle.begin('reauth', ip, user.username);
    try {
      if (!(await this.verifyPassword(user.username, password))) {
        attempt.failed();
        throw new AppError('REAUTH_FAILED');
      }
      attempt.succeeded(null);
    } finally {
      attempt.release();
    }
  }

  createSession(
    userId: number,
    ip: string,
    userAgent: string | undefined,
  ): { sessionId: string; csrfToken: string } {
    const sessionId = randomToken(32); // 256 bits
    const csrfToken = randomToken(32);
    const now = Date.now();
    this.db
      .prepare(
        `INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at, ip, user_agent)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(sha256(sessionId), userId, csrfToken, now, now, ip, userAgent?.slice(0, 300) ?? null);
    return { sessionId, csrfToken };
  }

  /** The session's user and CSRF token; refreshes the idle timer. Null when unknown or timed out. */
  touchSession(sessionId: string, now = Date.now()): { user: RequestUser; csrfToken: string } | null {
    const idHash = sha256(sessionId);
    const row = this.db
      .prepare(
        `SELECT s.csrf_token, s.created_at, s.last_seen_at, u.id, u.username
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?`,
      )
      .get(idHash) as
      | { csrf_token: string; created_at: number; last_seen_at: number; id: number; username: string }
      | undefined;
    if (!row) return null;
    if (now - row.last_seen_at > SESSION_IDLE_MS || now - row.created_at > SESSION_ABSOLUTE_MS) {
      this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(idHash);
      return null;
    }
    // Write at most once a minute: reads stay cheap under load.
    if (now - row.last_seen_at > 60_000) {
      this.db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?').run(now, idHash);
    }
    return { user: { id: row.id, username: row.username }, csrfToken: row.csrf_token };
  }

  destroySession(sessionId: string): void {
    this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(sha256(sessionId));
  }

  pruneSessions(now = Date.now()): void {
    this.db
      .prepare('DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?')
      .run(now - SESSION_IDLE_MS, now - SESSION_ABSOLUTE_MS);
  }

  createApiToken(userId: number, name: string): { id: number; token: string } {
    const token = TOKEN_PREFIX + randomToken(32);
    const r = this.db
      .prepare(
        'INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(userId, name, sha256(token), token.slice(0, 10), nowIso());
    return { id: Number(r.lastInsertRowid), token };
  }

  lookupApiToken(token: string): RequestUser | null {
    const row = this.db
      .prepare(
        `SELECT t.id AS token_id, t.last_used_at, u.id, u.username FROM api_tokens t
         JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?`,
      )
      .get(sha256(token)) as
      | { token_id: number; last_used_at: string | null; id: number; username: string }
      | undefined;
    if (!row) return null;
    const now = nowIso();
    if (!row.last_used_at || row.last_used_at.slice(0, 16) !== now.slice(0, 16)) {
      this.db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(now, row.token_id);
    }
    return { id: row.id, username: row.username };
  }

  // --- first-run setup (Jenkins style: a one-time link in the log) ---

  /** Creates a new one-time setup token and returns it; only its hash is kept. */
  newSetupToken(): string {
    const token = randomToken(24);
    this.db
      .prepare("INSERT OR REPLACE INTO kv (key, value) VALUES ('setup_token_sha256', ?)")
      .run(sha256(token));
    return token;
  }

  checkSetupToken(token: string): boolean {
    const row = this.db.prepare("SELECT value FROM kv WHERE key = 'setup_token_sha256'").get() as
      | { value: string }
      | undefined;
    return !!row && safeEqual(row.value, sha256(token));
  }

  clearSetupToken(): void {
    this.db.prepare("DELETE FROM kv WHERE key = 'setup_token_sha256'").run();
  }
}

export default fp(
  async (fastify) => {
    const auth = new AuthService(fastify.db);
    fastify.decorate('auth', auth);
    fastify.decorateRequest('user', null);
    fastify.decorateRequest('authMethod', null);
    fastify.decorateRequest('csrfToken', null);
    const timer = setInterval(() => auth.pruneSessions(), 10 * 60 * 1000);
    timer.unref();
    fastify.addHook('onClose', async () => clearInterval(timer));
  },
  { name: 'auth', dependencies: ['db'] },
);

import crypto from 'node:crypto';
import argon2 from 'argon2';
import fp from 'fastify-plugin';
import type { Db } from '../../db/open.js';
import { nowIso } from '../../db/open.js';
import { AppError } from '../../errors.js';
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

/** Failed sign-ins per client address and per user name, with exponential back-off after a few. */
class LoginLimiter {
  private readonly failures = new Map<string, { count: number; lockedUntil: number; last: number }>();
  private static readonly FREE_ATTEMPTS = 5;
  private static readonly MAX_LOCK_MS = 15 * 60 * 1000;

  check(keys: string[], now = Date.now()): void {
    for (const key of keys) {
      const f = this.failures.get(key);
      if (f && f.lockedUntil > now) {
        const retryAfterSeconds = Math.ceil((f.lockedUntil - now) / 1000);
        throw new AppError(
          'RATE_LIMITED',
          `Too many failed sign-ins. Try again in ${retryAfterSeconds} ${retryAfterSeconds === 1 ? 'second' : 'seconds'}.`,
          { retryAfterSeconds },
        );
      }
    }
  }

  fail(keys: string[], now = Date.now()): void {
    for (const key of keys) {
      const f = this.failures.get(key) ?? { count: 0, lockedUntil: 0, last: now };
      if (now - f.last > LoginLimiter.MAX_LOCK_MS) f.count = 0;
      f.count += 1;
      f.last = now;
      const over = f.count - LoginLimiter.FREE_ATTEMPTS;
      if (over >= 0) f.lockedUntil = now + Math.min(1000 * 2 ** over, LoginLimiter.MAX_LOCK_MS);
      this.failures.set(key, f);
    }
    if (this.failures.size > 10_000) this.prune(now);
  }

  succeed(keys: string[]): void {
    for (const key of keys) this.failures.delete(key);
  }

  private prune(now: number): void {
    for (const [key, f] of this.failures) {
      if (f.lockedUntil < now && now - f.last > LoginLimiter.MAX_LOCK_MS) this.failures.delete(key);
    }
  }
}

/** Accounts, sessions (server side) and API tokens (hashed at rest). */
export class AuthService {
  readonly limiter = new LoginLimiter();
  // Verifying against a dummy hash keeps "no such user" as slow as "wrong password".
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly db: Db) {}

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
   * Asks for the signed-in user's password again before a key leaves the server. Failures back off like
   * sign-in (429 after a few): a stolen session or token must not become an unlimited password oracle.
   */
  async reauthenticate(user: RequestUser, password: string | undefined): Promise<void> {
    const keys = [`reauth:${user.id}`];
    this.limiter.check(keys);
    if (!password || !(await this.verifyPassword(user.username, password))) {
      this.limiter.fail(keys);
      throw new AppError('REAUTH_FAILED');
    }
    this.limiter.succeed(keys);
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

import crypto from 'node:crypto';
import { type Role, TOKEN_DEFAULT_DAYS } from '@certdesk/shared';
import argon2 from 'argon2';
import type { Db } from '../db/open.js';
import { AppError } from '../errors.js';
import type { ApiTokenStore } from '../store/api-tokens.js';
import type { KvStore } from '../store/kv.js';
import type { SessionStore } from '../store/sessions.js';
import type { UserStore } from '../store/users.js';
import { hashPassword } from './password-hash.js';
import { narrower } from './permissions.js';
import { type Attempt, type KnownAddresses, SignInThrottle } from './throttle.js';

export const SESSION_COOKIE = 'certdesk_session';
export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
const TOKEN_PREFIX = 'cdk_';
const DAY_MS = 24 * 60 * 60 * 1000;
const SETUP_TOKEN_KEY = 'setup_token_sha256';

export interface RequestUser {
  id: number;
  username: string;
  /** The role the request acts with: the account's, or an API token's narrower one. */
  role: Role;
  /** Signed in with a one-time password: only the password change, me and logout answer. */
  mustChangePassword: boolean;
}

/** The API token a request came with, named in the audit log. */
export interface RequestToken {
  id: number;
  name: string;
}

export interface ApiTokenInfo {
  id: number;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string;
  role: Role | null;
  username: string;
}

interface AccountColumns {
  id: number;
  username: string;
  role: Role;
  must_change_password: number;
}

const requestUser = (row: AccountColumns, role: Role = row.role): RequestUser => ({
  id: row.id,
  username: row.username,
  role,
  mustChangePassword: row.must_change_password === 1,
});

// Every signed-in request hashes its session id: the one-shot crypto.hash (Node ≥ 20.12) is about twice
// as fast as a Hash object; engines allows 20.10, which gets the object.
const sha256: (value: string) => string =
  typeof crypto.hash === 'function'
    ? (value) => crypto.hash('sha256', value, 'hex')
    : (value) => crypto.createHash('sha256').update(value).digest('hex');
const randomToken = (bytes = 32) => crypto.randomBytes(bytes).toString('base64url');

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/** The second factor re-authentication asks for (services/totp-service.ts); none until it is wired. */
export interface SecondFactor {
  checkReauth(userId: number, code: string | undefined, attempt: Attempt): void;
  /** An administrator requires two-factor and this account has none: its session may only enrol. */
  enrolmentRequired(userId: number): boolean;
}

export interface AuthRepositories {
  db: Db;
  users: UserStore;
  sessions: SessionStore;
  apiTokens: ApiTokenStore;
  kv: KvStore;
  knownAddresses: KnownAddresses;
}

/** Accounts, sessions (server side) and API tokens (hashed at rest). */
/** How long after sign-in a sensitive action may skip asking for the password again. */
export const RECENT_SIGN_IN_MS = 5 * 60 * 1000;

export class AuthService {
  readonly throttle: SignInThrottle;
  secondFactor: SecondFactor | null = null;
  // Verifying against a dummy hash keeps "no such user" as slow as "wrong password".
  private dummyHash: Promise<string> | undefined;

  /** `now` is the clock (epoch ms) for session timeouts and token expiry; tests pass their own. */
  constructor(
    private readonly repos: AuthRepositories,
    private readonly now: () => number = Date.now,
  ) {
    // One clock for sessions, token expiry and the back-off, so a test's clock moves them all.
    this.throttle = new SignInThrottle(repos.knownAddresses, now);
  }

  hashPassword(password: string): Promise<string> {
    return hashPassword(password);
  }

  userCount(): number {
    return this.repos.users.count();
  }

  async createUser(username: string, password: string): Promise<RequestUser> {
    const hash = await this.hashPassword(password);
    const id = this.repos.users.insert(username, hash);
    return { id, username, role: 'admin', mustChangePassword: false };
  }

  /**
   * The user when the password is right and the account enabled, else null. Constant work whether or not
   * the user exists.
   */
  async verifyPassword(username: string, password: string): Promise<RequestUser | null> {
    const row = this.repos.users.findByUsername(username);
    if (!row) {
      this.dummyHash ??= this.hashPassword(randomToken());
      await argon2.verify(await this.dummyHash, password).catch(() => false);
      return null;
    }
    const ok = await argon2.verify(row.password_hash, password).catch(() => false);
    return ok && row.disabled === 0 ? requestUser(row) : null;
  }

  /**
   * Asks for the signed-in user's password again before a key leaves the server. Throttled like sign-in
   * (services/throttle.ts): a stolen session or token must not become an unlimited password oracle.
   */
  async reauthenticate(
    user: RequestUser,
    password: string | undefined,
    ip: string,
    totp?: string,
  ): Promise<void> {
    // Still REAUTH_FAILED (clients branch on it), but a missing password is not a wrong one.
    if (!password)
      throw new AppError('REAUTH_FAILED', 'Enter your account password: this action asks for it again.', {
        field: 'password',
      });
    const attempt = this.throttle.begin('reauth', ip, user.username);
    try {
      if (!(await this.verifyPassword(user.username, password))) {
        attempt.failed();
        throw new AppError('REAUTH_FAILED');
      }
      // Same reservation: a wrong code counts like a wrong password.
      this.secondFactor?.checkReauth(user.id, totp, attempt);
      attempt.succeeded(null);
    } finally {
      attempt.release();
    }
  }

  /** `secure`: the cookie goes out over HTTPS with the Secure flag, so it never travels in clear. */
  createSession(
    userId: number,
    ip: string,
    userAgent: string | undefined,
    secure: boolean,
  ): { sessionId: string; csrfToken: string } {
    const sessionId = randomToken(32); // 256 bits
    const csrfToken = randomToken(32);
    this.repos.sessions.insert({
      idHash: sha256(sessionId),
      userId,
      csrfToken,
      now: this.now(),
      ip,
      userAgent: userAgent?.slice(0, 300) ?? null,
      secure,
    });
    return { sessionId, csrfToken };
  }

  /** The session's user and CSRF token; refreshes the idle timer. Null when unknown or timed out. */
  touchSession(
    sessionId: string,
    now = this.now(),
  ): { user: RequestUser; csrfToken: string; signedInAt: number } | null {
    const idHash = sha256(sessionId);
    const row = this.repos.sessions.findWithUser(idHash);
    if (!row) return null;
    // Disabling ends the sessions; this covers a request racing the disable.
    if (row.disabled !== 0) return null;
    if (now - row.last_seen_at > SESSION_IDLE_MS || now - row.created_at > SESSION_ABSOLUTE_MS) {
      this.repos.sessions.delete(idHash);
      return null;
    }
    // Write at most once a minute: reads stay cheap under load.
    if (now - row.last_seen_at > 60_000) this.repos.sessions.touch(idHash, now);
    return {
      user: requestUser(row),
      csrfToken: row.csrf_token,
      signedInAt: row.created_at,
    };
  }

  /**
   * A password typed at sign-in a few minutes ago is as good as one typed again ("sudo mode"): it keeps
   * the original `POST /api/tokens { name }` form working right after login while a long-lived or
   * stolen session still has to prove the password.
   */
  signedInRecently(signedInAt: number | null, now = this.now()): boolean {
    return signedInAt !== null && now - signedInAt <= RECENT_SIGN_IN_MS;
  }

  destroySession(sessionId: string): void {
    this.repos.sessions.delete(sha256(sessionId));
  }

  pruneSessions(now = this.now()): void {
    this.repos.sessions.prune(now - SESSION_IDLE_MS, now - SESSION_ABSOLUTE_MS);
  }

  /**
   * After a confirmed switch to HTTPS: every session whose cookie was set over plain HTTP may have been
   * read on the wire, so it ends. The confirming browser keeps working: its session (`keepSessionId`,
   * when it has one) moves to a new id, to be sent in a Secure cookie. Its CSRF token stays, so the open
   * page goes on without a reload; the token is worthless without the new cookie.
   */
  rotateSessionsAfterHttps(keepSessionId: string | undefined): { sessionId: string | null; ended: number } {
    return this.repos.db.transaction(() => {
      let sessionId: string | null = randomToken(32);
      if (!keepSessionId || !this.repos.sessions.rekeySecure(sha256(keepSessionId), sha256(sessionId))) {
        sessionId = null;
      }
      return { sessionId, ended: this.repos.sessions.deleteInsecure() };
    })();
  }

  /**
   * Changes the user's password after checking the current one (with the re-authentication back-off),
   * and ends the user's other sessions: whoever knew the old password is signed out. The session making
   * the change (`keepSessionId`, absent for a Bearer caller) stays. Returns how many sessions ended.
   */
  async changePassword(
    user: RequestUser,
    currentPassword: string,
    newPassword: string,
    keepSessionId: string | undefined,
    ip: string,
    totp?: string,
  ): Promise<number> {
    await this.reauthenticate(user, currentPassword, ip, totp);
    if (newPassword === currentPassword)
      throw new AppError('PASSWORD_UNCHANGED', undefined, { field: 'newPassword' });
    const hash = await this.hashPassword(newPassword);
    const keep = keepSessionId ? sha256(keepSessionId) : undefined;
    return this.repos.db.transaction(() => {
      this.repos.users.setPasswordHash(user.id, hash);
      return this.repos.sessions.deleteOfUser(user.id, keep);
    })();
  }

  /** "Sign out everywhere": ends every session of the user, the caller's included. Returns how many. */
  endAllSessions(userId: number): number {
    return this.repos.sessions.deleteOfUser(userId);
  }

  /** `role`: a narrower role than the account's (the route checks it is not above), null for the account's. */
  createApiToken(
    userId: number,
    name: string,
    expiresInDays = TOKEN_DEFAULT_DAYS,
    role: Role | null = null,
  ): { id: number; token: string; expiresAt: string } {
    const token = TOKEN_PREFIX + randomToken(32);
    const now = this.now();
    const expiresAt = new Date(now + expiresInDays * DAY_MS).toISOString();
    const id = this.repos.apiTokens.insert({
      userId,
      name,
      tokenHash: sha256(token),
      prefix: token.slice(0, 10),
      createdAt: new Date(now).toISOString(),
      expiresAt,
      role,
    });
    return { id, token, expiresAt };
  }

  /**
   * The token's user, acting with the token's role when narrower, and the token; null when unknown. An
   * expired token, or one of a disabled account, is refused with its own code (401).
   */
  lookupApiToken(token: string): { user: RequestUser; token: RequestToken } | null {
    const row = this.repos.apiTokens.findByHash(sha256(token));
    if (!row) return null;
    if (row.disabled !== 0) {
      throw new AppError(
        'ACCOUNT_DISABLED',
        'The account of this API token is disabled. Ask an administrator.',
      );
    }
    const now = this.now();
    const expiresAt = Date.parse(row.expires_at);
    if (!(expiresAt > now)) {
      throw new AppError(
        'TOKEN_EXPIRED',
        `This API token expired on ${row.expires_at.slice(0, 10)}. Create a new one under API tokens.`,
        { expiresAt: row.expires_at },
      );
    }
    const at = new Date(now).toISOString();
    if (!row.last_used_at || row.last_used_at.slice(0, 16) !== at.slice(0, 16)) {
      this.repos.apiTokens.touch(row.token_id, at);
    }
    return {
      user: requestUser(row, row.token_role ? narrower(row.role, row.token_role) : row.role),
      token: { id: row.token_id, name: row.token_name },
    };
  }

  /** The user's tokens; every account's when `userId` is null (an administrator's view). */
  listApiTokens(userId: number | null): ApiTokenInfo[] {
    const rows = userId === null ? this.repos.apiTokens.listAll() : this.repos.apiTokens.listOfUser(userId);
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      prefix: r.prefix,
      createdAt: r.created_at,
      lastUsedAt: r.last_used_at,
      expiresAt: r.expires_at,
      role: r.role,
      username: r.username,
    }));
  }

  /** Deletes one of the user's tokens (any user's when `userId` is null) and returns its name; 404 if none. */
  deleteApiToken(userId: number | null, id: number): string {
    const name = this.repos.apiTokens.nameOf(id, userId);
    if (name === undefined) throw new AppError('NOT_FOUND', 'There is no API token with this id.');
    this.repos.apiTokens.delete(id);
    return name;
  }

  // --- first-run setup (Jenkins style: a one-time link in the log) ---

  /** Creates a new one-time setup token and returns it; only its hash is kept. */
  newSetupToken(): string {
    const token = randomToken(24);
    this.repos.kv.set(SETUP_TOKEN_KEY, sha256(token));
    return token;
  }

  checkSetupToken(token: string): boolean {
    const stored = this.repos.kv.get(SETUP_TOKEN_KEY);
    return stored !== undefined && safeEqual(stored, sha256(token));
  }

  clearSetupToken(): void {
    this.repos.kv.delete(SETUP_TOKEN_KEY);
  }
}

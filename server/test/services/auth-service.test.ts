import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Db, openDatabase } from '../../src/db/open.js';
import { AppError } from '../../src/errors.js';
import { AuthService } from '../../src/services/auth-service.js';
import { ApiTokenStore } from '../../src/store/api-tokens.js';
import { KnownAddressStore } from '../../src/store/known-addresses.js';
import { KvStore } from '../../src/store/kv.js';
import { SessionStore } from '../../src/store/sessions.js';
import { UserStore } from '../../src/store/users.js';
import { createTestApp, type TestApp } from '../support/app.js';

/** The auth service on a real database with its clock injected: token expiry and session endings. */

const DAY = 24 * 60 * 60 * 1000;
const START = Date.parse('2026-03-01T12:00:00.000Z');
const PASSWORD = 'correct horse battery staple';

let dir: string;
let db: Db;
let clock = START;
let auth: AuthService;
let userId: number;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'certdesk-auth-'));
  db = openDatabase(dir);
  const repos = {
    db,
    users: new UserStore(db),
    sessions: new SessionStore(db),
    apiTokens: new ApiTokenStore(db),
    kv: new KvStore(db),
    knownAddresses: new KnownAddressStore(db),
  };
  auth = new AuthService(repos, () => clock);
  userId = (await auth.createUser('admin', PASSWORD)).id;
});

after(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof AppError ? `${err.statusCode} ${err.code}` : String(err);
  }
  return undefined;
}

describe('API token expiry', () => {
  test('default 90 days: works the moment before, refused with 401 TOKEN_EXPIRED from then on', () => {
    clock = START;
    const { token, expiresAt } = auth.createApiToken(userId, 'ci');
    assert.equal(expiresAt, new Date(START + 90 * DAY).toISOString());
    clock = START + 90 * DAY - 1;
    assert.equal(auth.lookupApiToken(token)?.user.username, 'admin');
    clock = START + 90 * DAY;
    assert.equal(
      codeOf(() => auth.lookupApiToken(token)),
      '401 TOKEN_EXPIRED',
    );
    assert.equal(auth.listApiTokens(userId).find((t) => t.name === 'ci')?.expiresAt, expiresAt);
  });

  test('the lifetime chosen at creation is kept', () => {
    clock = START;
    const { token, expiresAt } = auth.createApiToken(userId, 'one day', 1);
    assert.equal(expiresAt, new Date(START + DAY).toISOString());
    clock = START + DAY + 1;
    assert.equal(
      codeOf(() => auth.lookupApiToken(token)),
      '401 TOKEN_EXPIRED',
    );
  });

  test('an unknown token is simply not found', () => {
    assert.equal(auth.lookupApiToken('cdk_unknown'), null);
  });
});

describe('sessions', () => {
  const alive = (id: string) => auth.touchSession(id) !== null;

  test('after the switch to HTTPS: HTTP sessions end, the confirming one moves to a new id', () => {
    clock = START;
    const confirming = auth.createSession(userId, '127.0.0.1', undefined, false);
    const otherHttp = auth.createSession(userId, '127.0.0.2', undefined, false);
    const overHttps = auth.createSession(userId, '127.0.0.3', undefined, true);
    const { sessionId, ended } = auth.rotateSessionsAfterHttps(confirming.sessionId);
    assert.equal(ended, 1, 'only the other HTTP session ends');
    assert.ok(sessionId && sessionId !== confirming.sessionId);
    assert.equal(alive(confirming.sessionId), false, 'the old id no longer works');
    assert.equal(alive(otherHttp.sessionId), false);
    assert.equal(alive(overHttps.sessionId), true, 'a session signed in over HTTPS stays');
    const moved = auth.touchSession(sessionId);
    assert.equal(moved?.csrfToken, confirming.csrfToken, 'the open page keeps its CSRF token');
    // The next switch leaves the moved session alone: it is Secure now.
    assert.equal(auth.rotateSessionsAfterHttps(undefined).ended, 0);
    assert.equal(alive(sessionId), true);
  });

  test('a Bearer confirmation (no session) ends the HTTP sessions and moves none', () => {
    const plain = auth.createSession(userId, '127.0.0.1', undefined, false);
    assert.deepEqual(auth.rotateSessionsAfterHttps(undefined), { sessionId: null, ended: 1 });
    assert.equal(alive(plain.sessionId), false);
  });

  test('password change: the other sessions end, the current one stays, the new password works', async () => {
    const current = auth.createSession(userId, '127.0.0.1', undefined, true);
    const other = auth.createSession(userId, '127.0.0.2', undefined, true);
    const user = { id: userId, username: 'admin', role: 'admin' as const, mustChangePassword: false };
    const ended = await auth.changePassword(
      user,
      PASSWORD,
      'another long passphrase',
      current.sessionId,
      '127.0.0.1',
    );
    assert.ok(ended >= 1);
    assert.equal(alive(current.sessionId), true);
    assert.equal(alive(other.sessionId), false);
    assert.equal(await auth.verifyPassword('admin', PASSWORD), null);
    assert.equal((await auth.verifyPassword('admin', 'another long passphrase'))?.id, userId);
    await auth.changePassword(user, 'another long passphrase', PASSWORD, current.sessionId, '127.0.0.1');
  });

  test('sign out everywhere ends every session of the user', () => {
    const a = auth.createSession(userId, '127.0.0.1', undefined, true);
    const b = auth.createSession(userId, '127.0.0.2', undefined, false);
    assert.ok(auth.endAllSessions(userId) >= 2);
    assert.equal(alive(a.sessionId), false);
    assert.equal(alive(b.sessionId), false);
  });
});

describe('re-authentication', () => {
  // A regression found in review: an unlimited password oracle.
  let app: TestApp;
  let close: () => Promise<void>;

  before(async () => {
    ({ app, close } = await createTestApp());
  });
  after(async () => close());

  test('re-authentication for key exports backs off after repeated wrong passwords (429)', async () => {
    // Every key-export route (CSR key, certificate key/PFX, convert with key) calls this one service method.
    const user = { id: 1, username: 'admin', role: 'admin' as const, mustChangePassword: false };
    let last = 0;
    for (let i = 0; i < 7; i++) {
      try {
        await app.auth.reauthenticate(user, `wrong-${i}`, '127.0.0.1');
      } catch (err) {
        last = (err as { statusCode: number }).statusCode;
      }
    }
    assert.equal(last, 429, 'locked out after repeated failures');
  });
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { type Db, openDatabase } from '../../src/db/open.js';
import { clearPending, PendingChangeStore } from '../../src/store/pending-changes.js';
import { defaultServerSettings, writeServerSettings } from '../../src/store/server-settings.js';
import { PendingChangeMachine } from '../../src/tls/pending-change.js';
import { tempDir } from '../support/app.js';
import { FakeClock } from '../support/fake-clock.js';

/**
 * The confirm / revert state machine on a real SQLite file and a clock the test moves: a 60-second
 * window runs out without waiting for it.
 */
const CONFIRM_SECONDS = 60;
const POLL_MS = 2_000;
const defaults = () => defaultServerSettings(8080, 8443);
const httpsOn = { ...defaults(), httpsEnabled: true, activeCertificateId: 7 };

describe('pending change state machine', () => {
  let dataDir: string;
  let db: Db;
  let clock: FakeClock;
  let events: string[];

  function machine(): PendingChangeMachine {
    return new PendingChangeMachine(new PendingChangeStore(db, defaults), clock, {
      confirmSeconds: CONFIRM_SECONDS,
      pollMs: POLL_MS,
      onExpired: async () => void events.push('expired'),
      onOutsideWrite: async () => void events.push('outside write'),
    });
  }

  beforeEach(() => {
    dataDir = tempDir();
    db = openDatabase(dataDir);
    clock = new FakeClock(Date.parse('2026-11-27T10:00:00Z'));
    events = [];
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('a proposed change waits for its window, then expires exactly once', async () => {
    const m = machine();
    const pending = m.propose(httpsOn, ['httpsEnabled', 'activeCertificateId']);
    assert.equal(pending.createdAt, '2026-11-27T10:00:00.000Z');
    assert.equal(pending.expiresAt, '2026-11-27T10:01:00.000Z');
    assert.deepEqual(m.effective(), httpsOn, 'the listeners serve the pending settings');
    assert.equal(m.committed().httpsEnabled, false, 'nothing is committed yet');
    assert.equal(m.confirmed, false);

    clock.advance(CONFIRM_SECONDS * 1000 - 1);
    assert.deepEqual(events, []);
    clock.advance(1);
    await m.settled();
    assert.deepEqual(events, ['expired']);
    clock.advance(CONFIRM_SECONDS * 1000);
    assert.deepEqual(events, ['expired']);
  });

  test('confirm inside the window commits and disarms the timer', () => {
    const m = machine();
    const pending = m.propose(httpsOn, ['httpsEnabled']);
    clock.advance(CONFIRM_SECONDS * 1000 - 1);
    m.confirm(pending);
    assert.equal(m.pending(), null);
    assert.deepEqual(m.committed(), httpsOn);
    assert.equal(m.confirmed, true);
    clock.advance(10 * CONFIRM_SECONDS * 1000);
    assert.deepEqual(events, []);
    assert.equal(clock.pendingTimers, 0);
  });

  test('revert drops the change, keeps the reason with the clock time, and commits nothing', () => {
    const m = machine();
    m.propose(httpsOn, ['httpsEnabled']);
    clock.advance(5_000);
    const audited: string[] = [];
    const undone = m.revert('cancelled', (p) => audited.push(p.changes.join()));
    assert.ok(undone);
    assert.deepEqual(audited, ['httpsEnabled']);
    assert.equal(m.pending(), null);
    assert.equal(m.committed().httpsEnabled, false);
    assert.deepEqual(m.lastRevert(), {
      at: '2026-11-27T10:00:05.000Z',
      reason: 'cancelled',
      changes: ['httpsEnabled'],
      settings: httpsOn,
    });
    assert.equal(m.revert('again'), null, 'nothing left to revert');
    assert.equal(clock.pendingTimers, 0);
  });

  test('a later change, kept or proposed, ends the explanation of the last revert', () => {
    const m = machine();
    m.propose(httpsOn, ['httpsEnabled']);
    m.revert('cancelled');
    assert.ok(m.lastRevert());
    const again = m.propose(httpsOn, ['httpsEnabled']);
    assert.equal(m.lastRevert(), null, 'a new change is pending: the old revert is history');
    m.revert('cancelled again');
    m.confirm(m.propose(httpsOn, ['httpsEnabled']));
    assert.equal(m.lastRevert(), null, 'confirmed: no "last change was undone" under it');
    assert.ok(again);
    m.propose({ ...httpsOn, httpsEnabled: false }, ['httpsEnabled']);
    m.revert('cancelled');
    m.commitNow({ ...httpsOn, redirectHttp: !httpsOn.redirectHttp });
    assert.equal(m.lastRevert(), null, 'a change committed at once also replaces it');
  });

  test('a revert whose audit entry fails leaves the change pending (one transaction)', () => {
    const m = machine();
    m.propose(httpsOn, ['httpsEnabled']);
    assert.throws(() =>
      m.revert('cancelled', () => {
        throw new Error('disk full');
      }),
    );
    assert.ok(new PendingChangeStore(db, defaults).pending(), 'the pending row is still there');
    assert.equal(new PendingChangeStore(db, defaults).lastRevert(), null);
  });

  test('one change at a time: 409 PENDING_CHANGE_EXISTS, and 409 NO_PENDING_CHANGE without one', () => {
    const m = machine();
    assert.throws(() => m.requirePending(), { code: 'NO_PENDING_CHANGE', statusCode: 409 });
    m.assertNothingPending();
    m.propose(httpsOn, ['httpsEnabled']);
    assert.throws(() => m.assertNothingPending(), { code: 'PENDING_CHANGE_EXISTS', statusCode: 409 });
  });

  test('a change still pending at restart is undone and explained; the committed settings stay', () => {
    writeServerSettings(db, { ...defaults(), serverNames: ['console.example.test'] });
    const before = machine();
    before.propose(httpsOn, ['httpsEnabled']);
    before.stop(); // the process that proposed it is gone
    const restarted = machine();
    const dropped = restarted.revertLeftOver();
    assert.deepEqual(dropped?.changes, ['httpsEnabled']);
    assert.equal(restarted.pending(), null);
    assert.deepEqual(restarted.committed().serverNames, ['console.example.test']);
    assert.match(restarted.lastRevert()?.reason ?? '', /restarted before the change was confirmed/);
    clock.advance(CONFIRM_SECONDS * 1000);
    assert.deepEqual(events, [], 'no timer left for the dropped change');
  });

  test('polling notices outside writers only, once per write', async () => {
    const m = machine();
    m.startPolling();
    m.propose(httpsOn, ['httpsEnabled']); // this process's own write
    clock.advance(POLL_MS * 3);
    assert.deepEqual(events, []);

    // What `certdesk reset-https` does from another process.
    writeServerSettings(db, { ...defaults(), httpsEnabled: false });
    clearPending(db);
    clock.advance(POLL_MS);
    clock.advance(POLL_MS * 3);
    await m.settled();
    assert.deepEqual(events, ['outside write']);

    // The machine sees only the fingerprint: a binding without a real certificate row will do.
    db.pragma('foreign_keys = OFF');
    db.prepare(
      "INSERT INTO bindings (hostname, certificate_id, created_at) VALUES ('a.example.test', 1, 'x')",
    ).run();
    clock.advance(POLL_MS);
    await m.settled();
    assert.deepEqual(events, ['outside write', 'outside write'], 'a new SNI binding counts too');
    m.stop();
    assert.equal(clock.pendingTimers, 0);
  });

  test('a pending row cleared by an outside writer disarms the timer on the next refresh', () => {
    const m = machine();
    m.propose(httpsOn, ['httpsEnabled']);
    clearPending(db);
    assert.equal(m.refresh(), null);
    clock.advance(CONFIRM_SECONDS * 1000);
    assert.deepEqual(events, []);
  });

  test('settled() waits for the work the timer started', async () => {
    let finished = false;
    const m = new PendingChangeMachine(new PendingChangeStore(db, defaults), clock, {
      confirmSeconds: 1,
      pollMs: POLL_MS,
      onExpired: async () => {
        await new Promise((resolve) => setImmediate(resolve));
        finished = true;
      },
      onOutsideWrite: async () => undefined,
    });
    m.propose(httpsOn, ['httpsEnabled']);
    clock.advance(1_000);
    assert.equal(finished, false);
    await m.settled();
    assert.equal(finished, true);
  });
});

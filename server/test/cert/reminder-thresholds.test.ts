import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  crossings,
  DAY_MS,
  DEFAULT_REMINDER_THRESHOLDS,
  leadTimeMs,
  lookaheadMs,
  thresholdId,
  thresholdsProblem,
} from '../../src/cert/reminder-thresholds.js';

const leadDays = (lifetimeDays: number) =>
  DEFAULT_REMINDER_THRESHOLDS.map(
    (t) => Math.round((leadTimeMs(t, lifetimeDays * DAY_MS) / DAY_MS) * 10) / 10,
  );

test('defaults: proportional for short lifetimes, the classic 30/14/7 days for 397-day certificates', () => {
  assert.deepEqual(leadDays(47), [14.1, 4.7, 1.4]);
  assert.deepEqual(leadDays(100), [30, 10, 3]);
  assert.deepEqual(leadDays(200), [30, 14, 6]);
  assert.deepEqual(leadDays(397), [30, 14, 7]);
});

test('ids and crossings: loosest first, none before the first threshold or once expired', () => {
  assert.deepEqual(DEFAULT_REMINDER_THRESHOLDS.map(thresholdId), ['30%+30d', '10%+14d', '3%+7d']);
  assert.equal(thresholdId({ days: 14 }), '14d');
  assert.equal(thresholdId({ percent: 12.5 }), '12.5%');
  const nb = 0;
  const na = 47 * DAY_MS;
  assert.deepEqual(crossings(DEFAULT_REMINDER_THRESHOLDS, nb, na, 30 * DAY_MS), []);
  const at = crossings(DEFAULT_REMINDER_THRESHOLDS, nb, na, 43 * DAY_MS).map((c) => c.threshold);
  assert.deepEqual(at, ['30%+30d', '10%+14d']);
  assert.deepEqual(crossings(DEFAULT_REMINDER_THRESHOLDS, nb, na, na), []);
});

test('validation: days or percent or both, in range, no duplicates; lookahead bounded only by days', () => {
  assert.equal(thresholdsProblem(DEFAULT_REMINDER_THRESHOLDS), null);
  assert.match(thresholdsProblem([{}]) ?? '', /days, a percentage/);
  assert.match(thresholdsProblem([{ percent: 0 }]) ?? '', /share of the lifetime/);
  assert.match(thresholdsProblem([{ days: 0 }]) ?? '', /1 to 3650/);
  assert.match(thresholdsProblem([{ days: 7 }, { days: 7 }]) ?? '', /twice/);
  assert.match(thresholdsProblem([]) ?? '', /at least one/);
  assert.equal(lookaheadMs(DEFAULT_REMINDER_THRESHOLDS), 30 * DAY_MS);
  assert.equal(lookaheadMs([{ days: 7 }, { percent: 20 }]), null);
});

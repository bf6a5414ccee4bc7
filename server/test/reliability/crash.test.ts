import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCrashTest } from './crash-harness.js';

// Short form; `npm run bench` runs the long form (server/bench/crash.bench.ts).
test('kill -9 at random moments leaves a consistent database and the last committed mode', {
  timeout: 240_000,
}, async () => {
  const report = await runCrashTest({ kills: 4 });
  const seen = `crash test: ${JSON.stringify(report)}`;
  console.log(seen);
  assert.equal(report.kills, 4, seen);
  assert.ok(report.operations > 10, `the driver really ran operations; ${seen}`);
  assert.ok(report.acknowledged.tokens > 0, `some writes were acknowledged before a kill; ${seen}`);
  assert.ok(
    report.acknowledged.imports + report.acknowledged.csrs > 0,
    `imports and CSRs were part of the mix; ${seen}`,
  );
  assert.deepEqual(report.failures, []);
});

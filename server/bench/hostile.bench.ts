import fs from 'node:fs';
import path from 'node:path';
import { runHostileSweep } from '../test/reliability/hostile-sweep.js';
import { resultFile } from './support/stats.js';

/** Writes the hostile-input sweep's counts (the test suite asserts the same sweep has no failures). */
const r = await runHostileSweep();
const out = resultFile('hostile');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(
  out,
  [
    '# Hostile-input sweep',
    '',
    `**${r.requests} hostile requests over ${r.routes} routes: ${r.failures.length} answers without a 4xx code or with a 5xx; server still serving: ${r.stillServing ? 'yes' : 'NO'}.**`,
    '',
    'Per route: bad ids (path tricks, overflow, NUL, SQL), nonsense query parameters, truncated / 5000-deep / wrong-typed / prototype-polluting / oversized JSON, wrong content types, 300-part multipart, a 2 MiB file, junk certificate uploads, broken multipart. Slow bodies are covered by the test suite (request timeout).',
    '',
    '| status | answers |',
    '|---:|---:|',
    ...Object.entries(r.statuses).map(([s, n]) => `| ${s} | ${n} |`),
    '',
    r.failures.length ? `## Failures\n\n${r.failures.map((f) => `- ${f}`).join('\n')}\n` : 'No failures.\n',
  ].join('\n'),
);
console.log(`hostile: ${r.requests} requests, ${r.failures.length} failures → ${out}`);
if (r.failures.length) process.exitCode = 1;

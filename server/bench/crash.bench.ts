import fs from 'node:fs';
import path from 'node:path';
import { runCrashTest } from '../test/reliability/crash-harness.js';
import { quick, resultFile } from './support/stats.js';

/** Long form of the crash test: many kill -9 rounds under a mixed write load. */
const kills = Number(process.env.CRASH_KILLS ?? (quick ? 2 : 25));
const started = Date.now();
const report = await runCrashTest({ kills, log: (l) => console.log(l) });
const seconds = ((Date.now() - started) / 1000).toFixed(0);
const out = resultFile('crash');
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(
  out,
  `# Crash test (kill -9)\n\n**${report.kills} kills, ${report.failures.length} failures** over ${report.operations} operations in ${seconds} s.\n\n` +
    `| acknowledged before a kill | count |\n| --- | --- |\n` +
    Object.entries(report.acknowledged)
      .map(([k, v]) => `| ${k} | ${v} |`)
      .join('\n') +
    `\n\nChecks after every restart: SQLite integrity_check, no orphan or missing keys, no half-imported certificate, ` +
    `every acknowledged token/CSR/import present, server names, HTTPS mode and active certificate equal to the last committed ones, the server serves (HTTP and, when committed, HTTPS).\n\n` +
    (report.failures.length ? `## Failures\n\n${report.failures.map((f) => `- ${f}`).join('\n')}\n` : ''),
);
console.log(`crash: ${report.kills} kills, ${report.failures.length} failures → ${out}`);
if (report.failures.length) process.exitCode = 1;

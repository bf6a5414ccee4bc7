import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * Loaded into a server under benchmark with `--import` (never by the server itself): measures how long
 * the event loop is held up, from inside the process, so the figures do not depend on how fast a loaded
 * machine schedules the load generator. On SIGUSR2 it appends one JSON line to CERTDESK_BENCH_ELD_FILE
 * (the delay histogram since the last signal, and the longest stalls with when they ended) and starts
 * over. The benchmark signals at the start and the end of each round.
 */
const out = process.env.CERTDESK_BENCH_ELD_FILE;
if (out) {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  // A 1 ms ticker: a gap well past 1 ms between ticks is a stall; the longest ones are listed.
  const TICK_MS = 1;
  const stalls: { ms: number; at: number }[] = [];
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    const gap = now - last - TICK_MS;
    last = now;
    if (gap >= 5) stalls.push({ ms: Math.round(gap * 10) / 10, at: Math.round(now) });
  }, TICK_MS);
  ticker.unref();
  const ms = (ns: number) => Math.round(ns / 1e5) / 10;
  process.on('SIGUSR2', () => {
    const line = {
      at: Math.round(performance.now()),
      p50: ms(histogram.percentile(50)),
      p99: ms(histogram.percentile(99)),
      max: ms(histogram.max),
      stalls: stalls.length,
      longest: [...stalls].sort((a, b) => b.ms - a.ms).slice(0, 8),
    };
    fs.appendFileSync(out, `${JSON.stringify(line)}\n`);
    histogram.reset();
    stalls.length = 0;
    last = performance.now();
  });
}

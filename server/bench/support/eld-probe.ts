import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * Loaded into a server under benchmark with `--import` (never by the server itself): measures how long
 * the event loop is held up, from inside the process, so the figures do not depend on how fast a loaded
 * machine schedules the load generator. On SIGUSR2 it appends one JSON line to CERTDESK_BENCH_ELD_FILE
 * (the delay histogram since the last signal, and the longest stalls with when they ended) and starts
 * over. The benchmark signals at the start and the end of each round.
 * On Linux each stall is split, from the main thread's schedstat, into the time the thread ran (the
 * server's own code held the loop: `cpu`) and the time it was ready but waited for a core (other
 * threads and processes had it: `wait`).
 */
const out = process.env.CERTDESK_BENCH_ELD_FILE;
if (out) {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  // A 1 ms ticker: a gap well past 1 ms between ticks is a stall; the longest ones are listed.
  const TICK_MS = 1;
  const stalls: { ms: number; cpu: number; wait: number; at: number }[] = [];
  let fd: number | null = null;
  try {
    fd = fs.openSync('/proc/thread-self/schedstat', 'r');
  } catch {}
  const buf = Buffer.alloc(128);
  /** [ran, waited] nanoseconds of this thread so far, or zeros where the system does not say. */
  const sched = (): [number, number] => {
    if (fd === null) return [0, 0];
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    const [run, wait] = buf.toString('latin1', 0, n).split(' ');
    return [Number(run), Number(wait)];
  };
  const round1 = (x: number) => Math.round(x * 10) / 10;
  let last = performance.now();
  let lastSched = sched();
  const ticker = setInterval(() => {
    const now = performance.now();
    const s = sched();
    const gap = now - last - TICK_MS;
    if (gap >= 5) {
      stalls.push({
        ms: round1(gap),
        cpu: round1((s[0] - lastSched[0]) / 1e6),
        wait: round1((s[1] - lastSched[1]) / 1e6),
        at: Math.round(now),
      });
    }
    last = now;
    lastSched = s;
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
      /** The stalls in which the server's own code ran longest: what to make smaller or move off the loop. */
      busiest: [...stalls].sort((a, b) => b.cpu - a.cpu).slice(0, 8),
    };
    fs.appendFileSync(out, `${JSON.stringify(line)}\n`);
    histogram.reset();
    stalls.length = 0;
    last = performance.now();
    lastSched = sched();
  });
}

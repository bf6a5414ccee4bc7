import type { Clock, TimerHandle } from '../../src/clock.js';

interface Scheduled {
  at: number;
  seq: number;
  callback: () => void;
}

/**
 * A clock that moves only when the test says so. `advance(ms)` runs every timer that falls due, in
 * order, with `now()` at each timer's due time; timers scheduled by those callbacks run too if they fall
 * due within the same advance. Starts at the real time so stored dates look like dates.
 */
export class FakeClock implements Clock {
  private current: number;
  private seq = 0;
  private readonly timers = new Map<number, Scheduled>();

  constructor(start = Date.now()) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const seq = ++this.seq;
    this.timers.set(seq, { at: this.current + Math.max(0, ms), seq, callback });
    return seq as unknown as TimerHandle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as unknown as number);
  }

  /** Timers waiting to run (a test can check that nothing was left armed). */
  get pendingTimers(): number {
    return this.timers.size;
  }

  advance(ms: number): void {
    const until = this.current + ms;
    for (let next = this.nextDue(until); next; next = this.nextDue(until)) {
      this.timers.delete(next.seq);
      this.current = next.at;
      next.callback();
    }
    this.current = until;
  }

  /**
   * Moves time forward as a machine that slept would see it: every timer due in between runs once, late,
   * at the new time (a 2-second poller does not run 1.3 million times over "47 days later").
   */
  jump(ms: number): void {
    this.current += ms;
    for (const t of this.timers.values()) if (t.at < this.current) t.at = this.current;
    this.advance(0);
  }

  private nextDue(until: number): Scheduled | undefined {
    let first: Scheduled | undefined;
    for (const t of this.timers.values()) {
      if (t.at <= until && (!first || t.at < first.at || (t.at === first.at && t.seq < first.seq))) first = t;
    }
    return first;
  }
}

/** An opaque handle returned by `Clock.setTimeout`, only good for passing back to `Clock.clearTimeout`. */
export type TimerHandle = { readonly __timer: unique symbol };

/**
 * Time as the code that schedules things sees it. Production uses `systemClock`; tests pass a clock they
 * advance by hand, so a 60-second confirmation window takes no time at all to run out.
 */
export interface Clock {
  /** Milliseconds since the epoch, like Date.now(). */
  now(): number;
  /** Runs `callback` once after `ms`; never keeps the process alive on its own. */
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return timer as unknown as TimerHandle;
  },
  clearTimeout(handle) {
    clearTimeout(handle as unknown as NodeJS.Timeout);
  },
};

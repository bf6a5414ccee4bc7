import { randomUUID } from 'node:crypto';
import { AppError } from '../errors.js';
import type { DeployLeaseHolder, DeployLeaseStore } from '../store/deploy-leases.js';

export const BUSY_ELSEWHERE =
  'Another certdesk process (the server or the certdesk deploy command) is deploying to this target right now. Wait for it to finish.';

/**
 * How long a lease outlives a process that died without releasing it, when its pid cannot be checked (a
 * reused pid): longer than any deployment can take (hook timeouts plus the verify window).
 */
const LEASE_TTL_MS = 15 * 60_000;
/** Automatic deliveries wait this long for another process's deployment of the same target, then give up. */
const LEASE_WAIT_MS = 5 * 60_000;
const LEASE_POLL_MS = 500;

/** A pid that no longer runs (ESRCH); EPERM means it runs under another user, so it is alive. */
function processGone(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * One deployment per target at a time: the promise map covers this process, the deploy_leases row every
 * process on the data directory (the server and `certdesk deploy` from cron write the same files and
 * reload the same services; interleaved, one's rollback could restore the other's half-written state).
 */
export class DeployTurns {
  private readonly running = new Map<number, Promise<unknown>>();
  private readonly holder: DeployLeaseHolder = { id: randomUUID(), pid: process.pid };

  constructor(private readonly leases: DeployLeaseStore) {}

  busyHere(id: number): boolean {
    return this.running.has(id);
  }

  /** Runs `body` as the target's only deployment, or answers 409 at once. */
  exclusive<T>(id: number, body: () => Promise<T>): Promise<T> {
    if (this.running.has(id)) throw new AppError('DEPLOY_IN_PROGRESS');
    if (!this.acquire(id)) throw new AppError('DEPLOY_IN_PROGRESS', BUSY_ELSEWHERE);
    const p = body().finally(() => {
      if (this.running.get(id) === p) this.running.delete(id);
      this.leases.release(id, this.holder);
    });
    this.running.set(id, p);
    return p;
  }

  /** For deleting a target: refused while anyone deploys it; the lease goes with the target's row. */
  claimForever(id: number): void {
    if (this.running.has(id)) throw new AppError('DEPLOY_IN_PROGRESS');
    if (!this.acquire(id)) throw new AppError('DEPLOY_IN_PROGRESS', BUSY_ELSEWHERE);
  }

  /**
   * Waits for this process's deployment of the target, then takes the lease once no other process holds it
   * (polled on real time: the other process runs on the wall clock whatever clock the service was given).
   * False when the wait ran out or `stopping()` says so; true with the lease held, for exclusive() to use.
   */
  async waitTurn(id: number, stopping: () => boolean): Promise<boolean> {
    const deadline = Date.now() + LEASE_WAIT_MS;
    for (let i = 0; i < 10_000; i++) {
      const mine = this.running.get(id);
      if (mine) {
        await mine.catch(() => undefined);
        continue;
      }
      if (this.acquire(id)) return true;
      if (stopping() || Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, LEASE_POLL_MS));
    }
    return false;
  }

  releaseAll(): void {
    this.leases.releaseAll(this.holder);
  }

  private acquire(id: number): boolean {
    return this.leases.tryAcquire(id, this.holder, Date.now(), LEASE_TTL_MS, processGone);
  }
}

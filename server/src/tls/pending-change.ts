import type { Clock, TimerHandle } from '../clock.js';
import { AppError } from '../errors.js';
import type { StoredPendingChange, StoredRevert } from '../store/pending-changes.js';
import type { ServerSettings } from '../store/server-settings.js';

/** Where the state lives (store/pending-changes.ts in production). */
export interface PendingChangeRepository {
  committed(): ServerSettings;
  pending(): StoredPendingChange | null;
  lastRevert(): StoredRevert | null;
  writeCommitted(settings: ServerSettings): void;
  propose(pending: StoredPendingChange): void;
  /** The pending settings become the committed ones and the pending row goes, in one transaction. */
  commit(pending: StoredPendingChange): void;
  /** The pending row goes and the reason is kept; `alongside` runs in the same transaction. */
  revert(revert: StoredRevert, alongside?: () => void): void;
  /** Changes whenever the committed or pending settings or the bindings change, whoever wrote them. */
  fingerprint(): string;
}

export interface PendingChangeOptions {
  confirmSeconds: number;
  pollMs: number;
  /** The window ran out: undo the change. The machine waits for the returned work in `settled()`. */
  onExpired: () => Promise<unknown>;
  /** Someone outside this process (`certdesk reset-https`) or another feature wrote the rows. */
  onOutsideWrite: () => Promise<unknown>;
}

/**
 * The lockout-safe switch: committed settings, and at most one change applied live but not yet
 * committed. A pending change is committed by `confirm()`, or undone by `revert()`: when the admin
 * cancels, when the window runs out, or when the server restarts before it was confirmed. Polling the
 * rows notices writers outside this process. Time comes from the injected clock only.
 */
export class PendingChangeMachine {
  private committedCache: ServerSettings;
  private pendingCache: StoredPendingChange | null;
  private expiry: TimerHandle | null = null;
  private poller: TimerHandle | null = null;
  private seen = '';
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly repo: PendingChangeRepository,
    private readonly clock: Clock,
    private readonly options: PendingChangeOptions,
  ) {
    this.committedCache = repo.committed();
    this.pendingCache = repo.pending();
  }

  committed(): ServerSettings {
    return this.committedCache;
  }

  pending(): StoredPendingChange | null {
    return this.pendingCache;
  }

  /** What the listeners should serve: the pending settings while a change waits, else the committed ones. */
  effective(): ServerSettings {
    return this.pendingCache?.settings ?? this.committedCache;
  }

  /** HTTPS is on and nothing waits for confirmation: HTTP may redirect and HTTPS answers carry HSTS. */
  get confirmed(): boolean {
    return this.committedCache.httpsEnabled && this.pendingCache === null;
  }

  lastRevert(): StoredRevert | null {
    return this.repo.lastRevert();
  }

  /**
   * Re-reads the rows (another writer may have changed them) and keeps the expiry timer in step with
   * the pending change found there.
   */
  refresh(): StoredPendingChange | null {
    this.committedCache = this.repo.committed();
    this.pendingCache = this.repo.pending();
    if (this.pendingCache) this.arm(this.pendingCache);
    else this.disarm();
    return this.pendingCache;
  }

  /** A change still pending when the server starts was never confirmed: undo it and say so. */
  revertLeftOver(): StoredPendingChange | null {
    const stale = this.repo.pending();
    if (stale) {
      this.repo.revert(
        this.revertRecord('The server restarted before the change was confirmed, so it was undone.', stale),
      );
    }
    this.refresh();
    return stale;
  }

  assertNothingPending(): void {
    if (this.refresh()) {
      throw new AppError(
        'PENDING_CHANGE_EXISTS',
        'Another change is waiting for confirmation. Confirm or cancel it first.',
      );
    }
  }

  /** The pending change, freshly read; 409 NO_PENDING_CHANGE when there is none. */
  requirePending(): StoredPendingChange {
    const pending = this.refresh();
    if (!pending) {
      throw new AppError('NO_PENDING_CHANGE', 'There is no change waiting for confirmation.');
    }
    return pending;
  }

  /** Commits a change that cannot lock anyone out. */
  commitNow(next: ServerSettings): void {
    this.repo.writeCommitted(next);
    this.afterWrite();
  }

  /** Records a change that waits for confirmation and starts its window. */
  propose(next: ServerSettings, changes: string[]): StoredPendingChange {
    const now = this.clock.now();
    const pending: StoredPendingChange = {
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.options.confirmSeconds * 1000).toISOString(),
      settings: next,
      changes,
    };
    this.repo.propose(pending);
    this.afterWrite();
    return pending;
  }

  confirm(pending: StoredPendingChange): void {
    this.disarm();
    this.repo.commit(pending);
    this.afterWrite();
  }

  /** Undoes the pending change, if any; `alongside` (the audit entry) is written in the same transaction. */
  revert(reason: string, alongside?: (pending: StoredPendingChange) => void): StoredPendingChange | null {
    const pending = this.refresh();
    if (!pending) return null;
    this.disarm();
    this.repo.revert(this.revertRecord(reason, pending), () => alongside?.(pending));
    this.afterWrite();
    return pending;
  }

  /** Starts noticing outside writes, from the rows as they are now. */
  startPolling(): void {
    this.seen = this.repo.fingerprint();
    this.schedulePoll();
  }

  stop(): void {
    this.disarm();
    if (this.poller) this.clock.clearTimeout(this.poller);
    this.poller = null;
  }

  /** Resolves once the work started by the timer and the poller has finished (tests advance a clock, then wait here). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** The rows as this process last wrote or served them; an outside write differs from it. */
  markSeen(): void {
    this.seen = this.repo.fingerprint();
  }

  private afterWrite(): void {
    this.refresh();
    this.markSeen();
  }

  private revertRecord(reason: string, pending: StoredPendingChange): StoredRevert {
    return {
      at: new Date(this.clock.now()).toISOString(),
      reason,
      changes: pending.changes,
      settings: pending.settings,
    };
  }

  private arm(pending: StoredPendingChange): void {
    this.disarm();
    const ms = Math.max(0, Date.parse(pending.expiresAt) - this.clock.now());
    this.expiry = this.clock.setTimeout(() => {
      this.expiry = null;
      this.track(this.options.onExpired());
    }, ms);
  }

  private disarm(): void {
    if (this.expiry) this.clock.clearTimeout(this.expiry);
    this.expiry = null;
  }

  private schedulePoll(): void {
    this.poller = this.clock.setTimeout(() => {
      this.schedulePoll();
      this.poll();
    }, this.options.pollMs);
  }

  private poll(): void {
    let now: string;
    try {
      now = this.repo.fingerprint();
    } catch {
      return; // the database is closing
    }
    if (now === this.seen) return;
    this.seen = now;
    this.track(this.options.onOutsideWrite());
  }

  private track(work: Promise<unknown>): void {
    const tracked = work.catch(() => undefined).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }
}

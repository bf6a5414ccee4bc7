import type { ReminderDue, ReminderThreshold } from '@certdesk/shared';
import {
  type Crossing,
  crossings,
  DAY_MS,
  DEFAULT_REMINDER_THRESHOLDS,
  EXPIRED_THRESHOLD,
  leadTimeMs,
  lookaheadMs,
  thresholdsProblem,
} from '../cert/reminder-thresholds.js';
import type { Clock, TimerHandle } from '../clock.js';
import type { Db } from '../db/open.js';
import { AppError } from '../errors.js';
import type { CertificateQueries } from '../store/certificate-queries.js';
import type { NotificationSettingsStore } from '../store/notification-settings.js';
import type { ReminderCandidate, RemindersSentStore } from '../store/reminders-sent.js';
import type { AuditContext, AuditService } from './audit-service.js';
import type { EventBus } from './events.js';

/** How often the pass runs: a certificate crossing a threshold is notified within this time. */
export const PASS_INTERVAL_MS = 60_000;
/** Certificates that expired longer ago than this are not announced (a new install's old leftovers). */
export const EXPIRED_WINDOW_MS = 7 * DAY_MS;
/** Candidates read per page, and pages per pass: a pass's work is bounded whatever the inventory. */
const PAGE = 500;
const MAX_PAGES = 20;
const FAR_FUTURE = '9999-12-31T23:59:59.999Z';

export interface ExpiryRemindersDeps {
  db: Db;
  remindersSent: RemindersSentStore;
  settings: NotificationSettingsStore;
  certificateQueries: CertificateQueries;
  audit: AuditService;
  events: EventBus;
  clock: Clock;
}

/**
 * Reminders for certificates renewed by hand (PRODUCT.md §12): a pass every minute finds the live
 * certificates (not superseded — a newer version replaced them — whether in use here or not, since a
 * vendor certificate is often installed on machines certdesk does not know) that crossed a threshold,
 * and emits 'certificate-expiring' once per (certificate, threshold), 'certificate-expired' once. What
 * was sent is recorded in reminders_sent before the event goes out: a restart never sends it again.
 * When several thresholds were crossed at once (imported late, thresholds changed, server down for a
 * week), only the tightest is announced and the looser ones are recorded as covered by it.
 */
export class ExpiryReminders {
  private timer: TimerHandle | null = null;
  private quiet = { generation: -1, until: 0 };
  private cached: ReminderThreshold[] | null = null;

  constructor(private readonly deps: ExpiryRemindersDeps) {}

  /** Read once and kept: only PUT /api/settings/reminders (this process) changes them. */
  thresholds(): ReminderThreshold[] {
    if (!this.cached) {
      const stored = this.deps.settings.reminderThresholds();
      this.cached = stored && thresholdsProblem(stored) === null ? stored : [...DEFAULT_REMINDER_THRESHOLDS];
    }
    return this.cached;
  }

  setThresholds(list: ReminderThreshold[], context: AuditContext | null): ReminderThreshold[] {
    const clean = list.map((t) => ({
      ...(t.percent !== undefined ? { percent: t.percent } : {}),
      ...(t.days !== undefined ? { days: t.days } : {}),
    }));
    const problem = thresholdsProblem(clean);
    if (problem) throw new AppError('INVALID_REMINDER_THRESHOLD', problem, { field: 'thresholds' });
    const before = this.thresholds();
    this.deps.settings.setReminderThresholds(clean);
    this.cached = clean;
    this.quiet = { generation: -1, until: 0 };
    this.deps.audit.record(context, { action: 'settings.reminders', details: { before, after: clean } });
    return clean;
  }

  start(): void {
    this.deps.events.on('certificate-stored', ({ id }) => {
      this.checkOne(id);
    });
    this.arm();
  }

  stop(): void {
    if (this.timer) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(): void {
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = null;
      try {
        this.runPass();
      } finally {
        this.arm();
      }
    }, PASS_INTERVAL_MS);
  }

  /**
   * One pass over the certificates that can be due; returns how many notifications it emitted. A pass
   * remembers when the next threshold or expiry falls due; until then, while no certificate was written
   * (inventory generation) and the thresholds stay the same, the next passes have nothing to do.
   */
  runPass(): number {
    const list = this.thresholds();
    const now = this.deps.clock.now();
    if (this.deps.remindersSent.inventoryGeneration() === this.quiet.generation && now < this.quiet.until)
      return 0;
    const ahead = lookaheadMs(list);
    const from = new Date(now - EXPIRED_WINDOW_MS).toISOString();
    const until = ahead === null ? FAR_FUTURE : new Date(now + ahead).toISOString();
    let emitted = 0;
    let next = Number.POSITIVE_INFINITY;
    let complete = false;
    let after: { notAfter: string; id: number } | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const rows = this.deps.remindersSent.candidates(from, until, PAGE, after);
      for (const c of rows) {
        const r = this.evaluate(c, list, now);
        emitted += r.emitted;
        next = Math.min(next, r.next);
      }
      if (rows.length < PAGE) {
        complete = true;
        break;
      }
      const last = rows[rows.length - 1] as ReminderCandidate;
      after = { notAfter: last.not_after, id: last.id };
    }
    if (ahead !== null) {
      // The first certificate beyond the look-ahead can cross its loosest threshold once it comes within it.
      const beyond = this.deps.remindersSent.candidates(until, FAR_FUTURE, 1)[0];
      if (beyond) next = Math.min(next, Date.parse(beyond.not_after) - ahead);
    }
    // Emitting may have written (another listener); read the generation again for the next pass.
    this.quiet = complete
      ? { generation: this.deps.remindersSent.inventoryGeneration(), until: next }
      : { generation: -1, until: 0 };
    return emitted;
  }

  /** A certificate just stored is checked at once (already inside a threshold: notified now). */
  checkOne(id: number): number {
    const c = this.deps.remindersSent.candidate(id);
    if (!c) return 0;
    const now = this.deps.clock.now();
    if (Date.parse(c.not_after) <= now - EXPIRED_WINDOW_MS) return 0;
    return this.evaluate(c, this.thresholds(), now).emitted;
  }

  /** Emits what is due for one certificate; `next` is when something will be due for it next. */
  private evaluate(
    c: ReminderCandidate,
    list: ReminderThreshold[],
    now: number,
  ): { emitted: number; next: number } {
    const notAfter = Date.parse(c.not_after);
    const at = new Date(now).toISOString();
    if (now >= notAfter) {
      if (!this.deps.remindersSent.record(c.id, EXPIRED_THRESHOLD, c.not_after, at)) return NOTHING;
      this.deps.events.emit('certificate-expired', { certificateId: c.id, notAfter: c.not_after });
      return { emitted: 1, next: Number.POSITIVE_INFINITY };
    }
    const lifetime = notAfter - Date.parse(c.not_before);
    const upcoming = Math.min(
      notAfter,
      ...list.map((t) => notAfter - leadTimeMs(t, lifetime)).filter((when) => when > now),
    );
    const crossed = crossings(list, Date.parse(c.not_before), notAfter, now);
    const tightest = crossed[crossed.length - 1];
    if (!tightest) return { emitted: 0, next: upcoming };
    const sent = this.deps.remindersSent.sentFor(c.id);
    if (crossed.every((x) => sent.has(x.threshold))) return { emitted: 0, next: upcoming };
    const announce = !sent.has(tightest.threshold);
    const recorded = this.deps.db.transaction(() => {
      let mine = false;
      for (const x of crossed) {
        const inserted = this.deps.remindersSent.record(c.id, x.threshold, iso(x.crossedAt), at);
        if (x === tightest) mine = inserted;
      }
      return mine;
    })();
    if (!announce || !recorded) return { emitted: 0, next: upcoming };
    this.deps.events.emit('certificate-expiring', {
      certificateId: c.id,
      threshold: tightest.threshold,
      notAfter: c.not_after,
      daysLeft: Math.floor((notAfter - now) / DAY_MS),
    });
    return { emitted: 1, next: upcoming };
  }

  /** The dashboard's list: live hand-renewed certificates inside a threshold or just expired, soonest first. */
  due(limit = 100): ReminderDue[] {
    const list = this.thresholds();
    const now = this.deps.clock.now();
    const ahead = lookaheadMs(list);
    const rows = this.deps.remindersSent.candidates(
      new Date(now - EXPIRED_WINDOW_MS).toISOString(),
      ahead === null ? FAR_FUTURE : new Date(now + ahead).toISOString(),
      PAGE,
    );
    const out: ReminderDue[] = [];
    for (const c of rows) {
      if (out.length >= limit) break;
      const notAfter = Date.parse(c.not_after);
      const expired = now >= notAfter;
      const crossing: Pick<Crossing, 'threshold' | 'label' | 'crossedAt'> | undefined = expired
        ? { threshold: EXPIRED_THRESHOLD, label: 'expired', crossedAt: notAfter }
        : crossings(list, Date.parse(c.not_before), notAfter, now).at(-1);
      if (!crossing) continue;
      const certificate = this.deps.certificateQueries.summary(c.id, new Date(now));
      if (!certificate) continue;
      out.push({
        certificate,
        threshold: crossing.threshold,
        thresholdLabel: crossing.label,
        crossedAt: iso(crossing.crossedAt),
        notified: this.deps.remindersSent.sentFor(c.id).has(crossing.threshold),
      });
    }
    return out;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
const NOTHING = { emitted: 0, next: Number.POSITIVE_INFINITY };

import type { RenewalSettings } from '@certdesk/shared';
import { type AcmeDirectory, fetchRenewalInfo, problemSentence, readDirectory } from '../acme/client.js';
import { ariCertId, backoffMs, dueByLifetime, pickInWindow } from '../cert/renewal-timing.js';
import type { Clock, TimerHandle } from '../clock.js';
import { AppError } from '../errors.js';
import type { AcmeCertificateStore, DueCertificate } from '../store/acme-certificates.js';
import type { AcmeOrderStore } from '../store/acme-orders.js';
import type { KvStore } from '../store/kv.js';
import type { AcmeAccountService } from './acme-accounts.js';
import type { AcmeOrderService } from './acme-orders.js';
import type { AuditContext } from './audit-service.js';
import type { EventBus } from './events.js';

const SETTINGS_KEY = 'renewal_settings';
export const DEFAULT_RENEWAL: RenewalSettings = { autoRenew: true, renewBeforePercent: 33, useAri: true };

export const SCHEDULER_LIMITS = {
  /** How often the scheduler wakes up. */
  tickMs: 15 * 60_000,
  /** Due certificates looked at per pass (the rest wait for the next pass, earliest first). */
  batch: 200,
  /** Orders started per pass: a CA is never flooded, however many certificates fall due together. */
  ordersPerPass: 5,
  /** When the CA gave no Retry-After, ARI is asked again after this long (RFC 9773 suggests hours). */
  ariRecheckMs: 6 * 3_600_000,
  /** A certificate with a running order is looked at again after this long. */
  busyRecheckMs: 10 * 60_000,
  /**
   * Rows looked at between two turns of the event loop: without ARI the loop awaits nothing real, and
   * 200 rows (a parse and an UPDATE each) held requests and TLS handshakes up for a whole pass.
   */
  yieldEvery: 20,
};

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface SchedulerDeps {
  clock: Clock;
  kv: KvStore;
  acmeCertificates: AcmeCertificateStore;
  orders: AcmeOrderStore;
  orderService: AcmeOrderService;
  accounts: AcmeAccountService;
  events: EventBus;
  random?: () => number;
  limits?: Partial<typeof SCHEDULER_LIMITS>;
  log: { warn: (obj: object, msg: string) => void };
}

export interface PassResult {
  checked: number;
  renewed: number;
  failed: number;
}

export function readRenewalSettings(kv: KvStore): RenewalSettings {
  const raw = kv.get(SETTINGS_KEY);
  if (!raw) return DEFAULT_RENEWAL;
  return { ...DEFAULT_RENEWAL, ...(JSON.parse(raw) as Partial<RenewalSettings>) };
}

export function writeRenewalSettings(kv: KvStore, settings: RenewalSettings): void {
  kv.set(SETTINGS_KEY, JSON.stringify(settings));
}

/**
 * Renews ACME certificates by themselves: a clock-driven pass over the certificates whose next check is
 * due (an index range, bounded per pass), inside the CA's ARI window (RFC 9773) or when the configured
 * share of the lifetime is left; failures back off exponentially and are announced as 'renewal-failed'.
 */
export class RenewalScheduler {
  private timer: TimerHandle | null = null;
  private pass: Promise<PassResult> | null = null;
  private readonly limits: typeof SCHEDULER_LIMITS;

  constructor(private readonly deps: SchedulerDeps) {
    this.limits = { ...SCHEDULER_LIMITS, ...deps.limits };
  }

  start(): void {
    this.arm(0);
  }

  stop(): void {
    if (this.timer) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Resolves once the pass a timer started has finished (tests that advance a fake clock). */
  async settled(): Promise<void> {
    while (this.pass) await this.pass.catch(() => undefined);
    await this.deps.orderService.settled();
  }

  private arm(ms: number): void {
    this.stop();
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = null;
      void this.runOnce().finally(() => this.arm(this.limits.tickMs));
    }, ms);
  }

  /** One pass (also `certdesk acme renew-due`). A pass already running is joined, never doubled. */
  runOnce(): Promise<PassResult> {
    if (!this.pass) {
      this.pass = this.doPass().finally(() => {
        this.pass = null;
      });
    }
    return this.pass;
  }

  private async doPass(): Promise<PassResult> {
    const settings = readRenewalSettings(this.deps.kv);
    const result: PassResult = { checked: 0, renewed: 0, failed: 0 };
    if (!settings.autoRenew) return result;
    const now = this.deps.clock.now();
    const directories = new Map<number, Promise<AcmeDirectory | null>>();
    let started = 0;
    for (const row of this.deps.acmeCertificates.due(new Date(now).toISOString(), this.limits.batch)) {
      result.checked++;
      if (result.checked % this.limits.yieldEvery === 0) await nextTurn();
      if (this.deps.orders.runningFor(row.certificate_id) !== undefined) {
        this.reschedule(row, now + this.limits.busyRecheckMs);
        continue;
      }
      const due = await this.dueAt(row, settings, now, directories);
      if (due > now) continue;
      if (started >= this.limits.ordersPerPass) break;
      started++;
      const ok = await this.renew(row, row.ari_pick ? ariCertId(row.cert_der) : null, now);
      if (ok) result.renewed++;
      else result.failed++;
    }
    return result;
  }

  /** When the certificate should renew (≤ now: now); stores the next check when that is later. */
  private async dueAt(
    row: DueCertificate,
    settings: RenewalSettings,
    now: number,
    directories: Map<number, Promise<AcmeDirectory | null>>,
  ): Promise<number> {
    const byLifetime = dueByLifetime(
      new Date(row.not_before),
      new Date(row.not_after),
      settings.renewBeforePercent,
    ).getTime();
    const certId = settings.useAri ? ariCertId(row.cert_der) : null;
    if (certId) {
      let dir = directories.get(row.account_id);
      if (!dir) {
        const endpoint = this.deps.accounts.endpoint(row.account_id);
        dir = readDirectory(endpoint).catch(() => null);
        directories.set(row.account_id, dir);
      }
      const base = (await dir)?.renewalInfo;
      if (base) {
        try {
          const info = await fetchRenewalInfo(this.deps.accounts.endpoint(row.account_id), base, certId, now);
          // Keep the time already picked while the window stays the same, so renewals do not drift.
          const sameWindow =
            row.ari_start === info.start.toISOString() && row.ari_end === info.end.toISOString();
          const pick =
            sameWindow && row.ari_pick
              ? Date.parse(row.ari_pick)
              : pickInWindow(info.start, info.end, (this.deps.random ?? Math.random)()).getTime();
          const recheck = now + (info.retryAfterMs ?? this.limits.ariRecheckMs);
          const state = {
            ari_start: info.start.toISOString(),
            ari_end: info.end.toISOString(),
            ari_pick: new Date(pick).toISOString(),
          };
          if (pick <= now) {
            this.deps.acmeCertificates.setState(row.certificate_id, { ...this.keep(row), ...state });
            row.ari_pick = state.ari_pick;
            return now;
          }
          this.deps.acmeCertificates.setState(row.certificate_id, {
            ...this.keep(row),
            ...state,
            next_check_at: new Date(Math.min(pick, recheck)).toISOString(),
          });
          return pick;
        } catch (err) {
          this.deps.log.warn(
            { certificateId: row.certificate_id, err: problemSentence(err) },
            'ARI not available; using the lifetime share',
          );
        }
      }
    }
    if (byLifetime > now) {
      this.reschedule(row, byLifetime);
      return byLifetime;
    }
    row.ari_pick = null;
    return now;
  }

  private keep(row: DueCertificate) {
    const { next_check_at, attempts, last_error, ari_start, ari_end, ari_pick } = row;
    return { next_check_at, attempts, last_error, ari_start, ari_end, ari_pick };
  }

  private reschedule(row: DueCertificate, at: number): void {
    this.deps.acmeCertificates.setState(row.certificate_id, {
      ...this.keep(row),
      next_check_at: new Date(at).toISOString(),
    });
  }

  /** Orders the renewal and waits for it; a failure backs off and is announced. */
  private async renew(row: DueCertificate, replaces: string | null, now: number): Promise<boolean> {
    let message: string | null = null;
    try {
      const order = this.deps.orderService.renew(row.certificate_id, replaces, null);
      const done = await this.deps.orderService.wait(order.id);
      if (done.status !== 'valid') message = done.error ?? 'The order did not complete.';
      else if (done.error) message = done.error;
    } catch (err) {
      message = err instanceof AppError ? err.message : problemSentence(err);
    }
    if (message === null) return true;
    const attempts = row.attempts + 1;
    this.deps.acmeCertificates.setState(row.certificate_id, {
      ...this.keep(row),
      attempts,
      last_error: message,
      next_check_at: new Date(now + backoffMs(attempts)).toISOString(),
    });
    this.deps.events.emit('renewal-failed', {
      certificateId: row.certificate_id,
      message,
      attempt: attempts,
    });
    return false;
  }

  /** POST /api/certificates/:id/renew-now: an order now, whatever the schedule says. */
  renewNow(certificateId: number, context: AuditContext) {
    const row = this.deps.acmeCertificates.get(certificateId);
    if (!row) throw new AppError('NOT_ACME_MANAGED');
    const newer = this.deps.acmeCertificates.supersededBy(certificateId);
    // Renewing an old version would order a copy that replaces the newest one with a sibling.
    if (newer) throw new AppError('RENEW_SUPERSEDED', undefined, { supersededById: newer });
    return this.deps.orderService.renew(certificateId, null, context);
  }
}

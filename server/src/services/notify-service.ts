import type { NotificationDelivery, NotificationTestResult } from '@certdesk/shared';
import type { Clock, TimerHandle } from '../clock.js';
import { AppError } from '../errors.js';
import type { NotificationMessage } from '../notify/message.js';
import { type SendLimits, sendMail } from '../notify/smtp.js';
import { postWebhook, type WebhookFormat, webhookOrigin } from '../notify/webhook.js';
import type { CertificateStore } from '../store/certificates.js';
import type { NotificationOutboxStore, OutboxRow } from '../store/notification-outbox.js';
import type { NotificationSettingsStore } from '../store/notification-settings.js';
import type { TrustAnchorStore } from '../store/trust-anchors.js';
import type { EventBus } from './events.js';
import {
  certificateFacts,
  composeMessage,
  type DeliverableEvent,
  SETTINGS_EVENT,
  testMessage,
} from './notification-messages.js';

const MINUTE = 60_000;
/** Waits after the 1st, 2nd, … failed attempt; after the last one the delivery is marked failed. */
export const RETRY_DELAYS_MS = [1, 5, 15, 60, 240].map((m) => m * MINUTE);
const BATCH = 20;
const KEEP_DELIVERIES = 1000;
/** A claimed delivery whose sender died mid-attempt is due again after this. */
const CLAIM_MS = 5 * MINUTE;
/**
 * How often the server looks for deliveries another process (a `certdesk` command) left in the outbox.
 * Real time, not the injected clock: those rows are written on the wall clock, and a fake clock jumping
 * 47 days must not fire this a million times.
 */
const FOREIGN_ROWS_POLL_MS = 15_000;

export interface NotifyLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface NotifyDeps {
  outbox: NotificationOutboxStore;
  settings: NotificationSettingsStore;
  certificates: CertificateStore;
  trustAnchors: TrustAnchorStore;
  events: EventBus;
  clock: Clock;
  log: NotifyLog;
  /** The console's address as administrators reach it (scheme://host[:port]), or null when unknown. */
  consoleUrl: () => string | null;
  /** Per network wait of one delivery (connect, greeting, answer). */
  timeoutMs?: number;
}

/**
 * Turns domain events into e-mails and webhook posts. An event only writes outbox rows (synchronously,
 * in the emitter's turn, cheap); delivery runs later, one drain at a time, so a slow or dead receiver
 * never blocks or fails the work being reported. Failed attempts are retried with back-off and then
 * kept as failed, visible in GET /api/notifications/deliveries.
 */
export class NotifyService {
  private timer: TimerHandle | null = null;
  private draining: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private poll: NodeJS.Timeout | null = null;

  constructor(private readonly deps: NotifyDeps) {}

  start(): void {
    this.stopped = false;
    const deliverable = Object.keys(SETTINGS_EVENT) as DeliverableEvent[];
    for (const event of deliverable) {
      this.deps.events.on(event, (payload) => this.onEvent(event, payload));
    }
    // Deliveries left pending by a previous run go out now.
    this.kick();
  }

  /** The server: also delivers what command-line runs enqueued while it was running. */
  watchOutbox(intervalMs = FOREIGN_ROWS_POLL_MS): void {
    if (this.poll) clearInterval(this.poll);
    this.poll = setInterval(() => {
      const next = this.deps.outbox.nextDueAt();
      if (next !== null && next <= this.deps.clock.now()) this.kick();
    }, intervalMs);
    this.poll.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
    if (this.poll) clearInterval(this.poll);
    this.poll = null;
  }

  /**
   * A command about to exit: one drain of what is due now, awaited. What fails is left with its retry time
   * for the server (or the next run) to send; each network wait is bounded by `timeoutMs`.
   */
  async flush(): Promise<void> {
    await this.settled();
    if (this.timer) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
    this.startDrain();
    await this.settled();
  }

  /** Resolves when no drain is running (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private get limits(): SendLimits {
    return {
      timeoutMs: this.deps.timeoutMs ?? 15_000,
      extraCa: this.deps.trustAnchors.allDer().map(derToPem),
    };
  }

  private onEvent<E extends DeliverableEvent>(
    event: E,
    payload: Parameters<typeof composeMessage<E>>[1],
  ): void {
    if (this.stopped) return;
    const settings = this.deps.settings.get();
    if (!settings.events.includes(SETTINGS_EVENT[event])) return;
    if (!settings.email && settings.webhooks.length === 0) return;
    const certificateId = (payload as { certificateId: number }).certificateId;
    const row = this.deps.certificates.get(certificateId);
    const base = this.deps.consoleUrl();
    const link = base ? `${base}/certificates/${certificateId}` : null;
    const message = composeMessage(event, payload, row ? certificateFacts(row) : null, link, this.isoNow());
    this.enqueue(message);
  }

  /** One outbox row per configured channel, each due now. */
  enqueue(message: NotificationMessage): void {
    const settings = this.deps.settings.get();
    const common = {
      event: message.event,
      subject: message.subject,
      messageJson: JSON.stringify(message),
      createdAt: this.isoNow(),
      nextAttemptAt: this.deps.clock.now(),
    };
    if (settings.email) this.deps.outbox.insert({ ...common, channel: 'email' });
    for (const w of settings.webhooks) {
      this.deps.outbox.insert({ ...common, channel: 'webhook', webhookUrl: w.url, webhookFormat: w.format });
    }
    this.kick();
  }

  /** Starts a drain on the next tick of the clock (or once the running one ends). */
  private kick(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.arm(0);
  }

  private arm(ms: number): void {
    if (this.timer) this.deps.clock.clearTimeout(this.timer);
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = null;
      this.startDrain();
    }, ms);
  }

  private startDrain(): void {
    if (this.draining || this.stopped) return;
    this.draining = this.drain()
      .catch((err) => this.deps.log.error({ err: { message: String(err) } }, 'notification drain failed'))
      .finally(() => {
        this.draining = null;
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.arm(0);
          return;
        }
        const next = this.deps.outbox.nextDueAt();
        if (next !== null) this.arm(Math.max(0, next - this.deps.clock.now()));
      });
  }

  private async drain(): Promise<void> {
    for (let round = 0; round < 50; round++) {
      const due = this.deps.outbox.due(this.deps.clock.now(), BATCH);
      if (due.length === 0) break;
      for (const row of due) {
        const now = this.deps.clock.now();
        if (this.deps.outbox.claim(row.id, row.next_attempt_at as number, now + CLAIM_MS))
          await this.attempt(row);
      }
      if (due.length < BATCH) break;
    }
    this.deps.outbox.prune(KEEP_DELIVERIES);
  }

  private async attempt(row: OutboxRow): Promise<void> {
    const message = JSON.parse(row.message_json) as NotificationMessage;
    try {
      await this.send(row.channel, message, row.webhook_url, row.webhook_format as WebhookFormat | null);
      this.deps.outbox.markSent(row.id, this.isoNow());
    } catch (err) {
      const error = (err as Error).message;
      const attempt = row.attempts + 1;
      const channel = channelName(row.channel, row.webhook_url);
      this.deps.log.warn({ deliveryId: row.id, channel, attempt, error }, 'notification delivery failed');
      const delay = RETRY_DELAYS_MS[attempt - 1];
      if (delay === undefined) this.deps.outbox.markFailed(row.id, error);
      else this.deps.outbox.markRetry(row.id, error, this.deps.clock.now() + delay);
    }
  }

  private async send(
    channel: string,
    message: NotificationMessage,
    url: string | null,
    format: WebhookFormat | null,
  ): Promise<string> {
    if (channel === 'webhook') return postWebhook(url ?? '', format ?? 'json', message, this.limits);
    const email = this.deps.settings.get().email;
    if (!email) throw new Error('E-mail is no longer configured.');
    return sendMail(
      {
        host: email.host,
        port: email.port,
        security: email.security,
        username: email.username,
        password: this.deps.settings.smtpPassword(),
        from: email.from,
        to: email.to,
      },
      message,
      this.limits,
    );
  }

  /** "Send test": every configured channel now, in parallel, each result recorded as a delivery too. */
  async test(): Promise<NotificationTestResult> {
    const settings = this.deps.settings.get();
    const message = testMessage(this.deps.consoleUrl(), this.isoNow());
    const channels: { channel: 'email' | 'webhook'; url: string | null; format: WebhookFormat | null }[] = [
      ...(settings.email ? [{ channel: 'email' as const, url: null, format: null }] : []),
      ...settings.webhooks.map((w) => ({ channel: 'webhook' as const, url: w.url, format: w.format })),
    ];
    if (channels.length === 0) throw new AppError('NO_NOTIFICATION_CHANNEL');
    const results = await Promise.all(
      channels.map(async (c) => {
        const name = channelName(c.channel, c.url);
        const outcome = await this.send(c.channel, message, c.url, c.format).then(
          (text) => ({ ok: true, message: text }),
          (err: Error) => ({ ok: false, message: err.message }),
        );
        this.deps.outbox.insert({
          event: 'test',
          subject: message.subject,
          channel: c.channel,
          webhookUrl: c.url,
          webhookFormat: c.format,
          messageJson: JSON.stringify(message),
          createdAt: message.at,
          nextAttemptAt: null,
          status: outcome.ok ? 'sent' : 'failed',
          attempts: 1,
          lastError: outcome.ok ? null : outcome.message,
          sentAt: outcome.ok ? this.isoNow() : null,
        });
        return { channel: name, ...outcome };
      }),
    );
    return { results };
  }

  deliveries(limit = 50): NotificationDelivery[] {
    return this.deps.outbox.recent(limit).map((r) => ({
      id: r.id,
      event: r.event,
      subject: r.subject,
      channel: channelName(r.channel, r.webhook_url, r.webhook_format),
      status: r.status === 'pending' && r.attempts > 0 ? 'retrying' : r.status,
      attempts: r.attempts,
      lastError: r.last_error,
      createdAt: r.created_at,
      nextAttemptAt: r.next_attempt_at === null ? null : new Date(r.next_attempt_at).toISOString(),
      sentAt: r.sent_at,
    }));
  }

  private isoNow(): string {
    return new Date(this.deps.clock.now()).toISOString();
  }
}

function channelName(channel: string, url: string | null, format?: string | null): string {
  if (channel === 'email') return 'email';
  return `webhook${format ? ` (${format})` : ''} ${webhookOrigin(url ?? '')}`;
}

function derToPem(der: Buffer): string {
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

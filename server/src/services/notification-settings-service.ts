import { isIP } from 'node:net';
import type { NotificationSettings, NotificationSettingsUpdate, Webhook } from '@certdesk/shared';
import { AppError } from '../errors.js';
import { webhookOrigin } from '../notify/webhook.js';
import type {
  NotificationSettingsStore,
  StoredEmail,
  StoredNotificationSettings,
} from '../store/notification-settings.js';
import type { AuditContext, AuditService } from './audit-service.js';

const HOST =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;
// Deliberately plain: one @, no spaces, quotes, angle brackets or line breaks (they would be headers).
const EMAIL = /^[^\s@<>()[\]",;:\\]{1,64}@[^\s@<>()[\]",;:\\]{1,253}$/;

export function validEmail(address: string): boolean {
  if (!EMAIL.test(address)) return false;
  const domain = address.slice(address.indexOf('@') + 1);
  return HOST.test(domain) || (domain.startsWith('[') && isIP(domain.slice(1, -1)) !== 0);
}

export function validHost(host: string): boolean {
  return HOST.test(host) || isIP(host) !== 0;
}

/** A sentence about a webhook address, or null when it can be posted to. Loopback and private hosts are allowed. */
export function webhookUrlProblem(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `"${url.slice(0, 80)}" is not a URL.`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    return `A webhook address must start with http:// or https:// (not ${u.protocol}).`;
  if (u.username || u.password) return 'A webhook address must not carry a user name or password.';
  if (!u.hostname) return 'The webhook address has no host.';
  return null;
}

export interface NotificationSettingsDeps {
  store: NotificationSettingsStore;
  audit: AuditService;
}

/** GET|PUT /api/settings/notifications: validation, the sealed password kept or replaced, the audit entry. */
export class NotificationSettingsService {
  constructor(private readonly deps: NotificationSettingsDeps) {}

  /**
   * `fullWebhookUrls`: for those who may change the settings (they edit the list as a whole). Anyone else
   * sees each webhook's origin only: a Slack or Teams URL is itself the credential to post to the channel.
   */
  view({ fullWebhookUrls = true }: { fullWebhookUrls?: boolean } = {}): NotificationSettings {
    const s = this.deps.store.get();
    const webhooks = fullWebhookUrls
      ? s.webhooks
      : s.webhooks.map((w) => ({ url: `${webhookOrigin(w.url)}/…`, format: w.format }));
    if (!s.email) return { email: null, webhooks, events: s.events };
    const { passwordSealed, ...email } = s.email;
    return {
      email: { ...email, hasPassword: passwordSealed !== undefined },
      webhooks,
      events: s.events,
    };
  }

  update(body: NotificationSettingsUpdate, context: AuditContext | null): NotificationSettings {
    const before = this.deps.store.get();
    const email = body.email === null ? null : this.email(body.email, before.email);
    const webhooks = dedupeWebhooks(body.webhooks);
    for (const w of webhooks) {
      const problem = webhookUrlProblem(w.url);
      if (problem) throw new AppError('INVALID_WEBHOOK_URL', problem, { field: 'webhooks' });
    }
    const next: StoredNotificationSettings = { email, webhooks, events: [...new Set(body.events)] };
    this.deps.store.set(next);
    this.deps.audit.record(context, {
      action: 'settings.notifications',
      details: {
        before: auditView(before),
        after: auditView(next),
        passwordChanged: body.email?.password !== undefined,
      },
    });
    return this.view();
  }

  private email(
    e: NonNullable<NotificationSettingsUpdate['email']>,
    previous: StoredEmail | null,
  ): StoredEmail {
    const host = e.host.trim();
    if (!validHost(host))
      throw new AppError('INVALID_SMTP_HOST', `"${host.slice(0, 80)}" is not a host name or IP address.`, {
        field: 'email.host',
      });
    if (!(Number.isInteger(e.port) && e.port >= 1 && e.port <= 65535))
      throw new AppError('INVALID_SMTP_PORT', `${e.port} is not a port number (1–65535).`, {
        field: 'email.port',
      });
    if (!validEmail(e.from.trim()))
      throw new AppError(
        'INVALID_EMAIL_ADDRESS',
        `The sender "${e.from.slice(0, 80)}" is not an e-mail address.`,
        { field: 'email.from' },
      );
    const to = [...new Set(e.to.map((t) => t.trim()).filter((t) => t !== ''))];
    if (to.length === 0) throw new AppError('NO_EMAIL_RECIPIENTS', undefined, { field: 'email.to' });
    const bad = to.find((t) => !validEmail(t));
    if (bad)
      throw new AppError(
        'INVALID_EMAIL_ADDRESS',
        `The recipient "${bad.slice(0, 80)}" is not an e-mail address.`,
        { field: 'email.to' },
      );
    const username = e.username?.trim() || undefined;
    if (username && /[\r\n]/.test(username))
      throw new AppError('VALIDATION_ERROR', 'The SMTP user name must be one line.', {
        field: 'email.username',
      });
    // Omitted: keep what is stored; "": remove it; anything else: seal the new one.
    const passwordSealed =
      e.password === undefined
        ? previous?.passwordSealed
        : e.password === ''
          ? undefined
          : this.deps.store.seal(e.password);
    return {
      host,
      port: e.port,
      security: e.security,
      ...(username ? { username } : {}),
      ...(passwordSealed ? { passwordSealed } : {}),
      from: e.from.trim(),
      to,
    };
  }
}

function dedupeWebhooks(list: Webhook[]): Webhook[] {
  const seen = new Set<string>();
  return list
    .map((w) => ({ url: w.url.trim(), format: w.format }))
    .filter((w) => !seen.has(`${w.format} ${w.url}`) && seen.add(`${w.format} ${w.url}`));
}

/** What the audit log keeps: never the password, and webhook origins only (a Slack URL is its own secret). */
function auditView(s: StoredNotificationSettings): unknown {
  return {
    email: s.email
      ? {
          host: s.email.host,
          port: s.email.port,
          security: s.email.security,
          username: s.email.username ?? null,
          hasPassword: s.email.passwordSealed !== undefined,
          from: s.email.from,
          to: s.email.to,
        }
      : null,
    webhooks: s.webhooks.map((w) => `${w.format} ${webhookOrigin(w.url)}`),
    events: s.events,
  };
}

import { type Static, Type } from 'typebox';
import { CertificateSummary } from './certificate.js';

/** The events an administrator can be notified about (API.md "Automatic renewal (ACME) and notifications"). */
export const NotificationEvent = Type.Union([
  Type.Literal('expiring'),
  Type.Literal('expired'),
  Type.Literal('renewal-failed'),
  Type.Literal('deploy-failed'),
  Type.Literal('drift'),
]);
export type NotificationEvent = Static<typeof NotificationEvent>;
export const NOTIFICATION_EVENTS: readonly NotificationEvent[] = [
  'expiring',
  'expired',
  'renewal-failed',
  'deploy-failed',
  'drift',
];

export const SmtpSecurity = Type.Union([Type.Literal('starttls'), Type.Literal('tls'), Type.Literal('none')]);
export type SmtpSecurity = Static<typeof SmtpSecurity>;

const EmailFields = {
  host: Type.String({ maxLength: 253 }),
  // The range is checked by the service (422 INVALID_SMTP_PORT with a sentence), not by the schema.
  port: Type.Integer(),
  security: SmtpSecurity,
  username: Type.Optional(Type.String({ maxLength: 256 })),
  from: Type.String({ maxLength: 320 }),
  to: Type.Array(Type.String({ maxLength: 320 }), { maxItems: 20 }),
};

export const WebhookFormat = Type.Union([Type.Literal('json'), Type.Literal('slack'), Type.Literal('teams')]);
export type WebhookFormat = Static<typeof WebhookFormat>;
export const Webhook = Type.Object({ url: Type.String({ maxLength: 2048 }), format: WebhookFormat });
export type Webhook = Static<typeof Webhook>;

/** PUT body. `email.password` omitted keeps the stored one; `""` removes it. */
export const NotificationSettingsUpdate = Type.Object({
  email: Type.Union([
    Type.Object({ ...EmailFields, password: Type.Optional(Type.String({ maxLength: 1024 })) }),
    Type.Null(),
  ]),
  webhooks: Type.Array(Webhook, { maxItems: 20 }),
  events: Type.Array(NotificationEvent, { maxItems: 5 }),
});
export type NotificationSettingsUpdate = Static<typeof NotificationSettingsUpdate>;

/** GET answer: the password is never returned, only whether one is stored. */
export const NotificationSettings = Type.Object({
  email: Type.Union([Type.Object({ ...EmailFields, hasPassword: Type.Boolean() }), Type.Null()]),
  webhooks: Type.Array(Webhook),
  events: Type.Array(NotificationEvent),
});
export type NotificationSettings = Static<typeof NotificationSettings>;

export const NotificationTestResult = Type.Object({
  results: Type.Array(
    Type.Object({
      /** `email` or `webhook <origin>` (a webhook's path may be its secret: never shown whole). */
      channel: Type.String(),
      ok: Type.Boolean(),
      message: Type.String(),
    }),
  ),
});
export type NotificationTestResult = Static<typeof NotificationTestResult>;

export const DeliveryStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('retrying'),
  Type.Literal('sent'),
  Type.Literal('failed'),
]);
export type DeliveryStatus = Static<typeof DeliveryStatus>;

export const NotificationDelivery = Type.Object({
  id: Type.Integer(),
  event: Type.String({ description: 'expiring, expired, renewal-failed, deploy-failed, drift or test' }),
  subject: Type.String(),
  channel: Type.String(),
  status: DeliveryStatus,
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  /** When the next attempt is due (pending or retrying), else null. */
  nextAttemptAt: Type.Union([Type.String(), Type.Null()]),
  sentAt: Type.Union([Type.String(), Type.Null()]),
});
export type NotificationDelivery = Static<typeof NotificationDelivery>;

export const NotificationDeliveries = Type.Object({ items: Type.Array(NotificationDelivery) });
export type NotificationDeliveries = Static<typeof NotificationDeliveries>;

/**
 * One reminder threshold: `percent` of the certificate's lifetime left, `days` left, or both — then it is
 * crossed when both hold (the smaller of the two), so "30% / 30 days" reminds a 47-day certificate 14 days
 * ahead and a 397-day one 30 days ahead.
 */
export const ReminderThreshold = Type.Object({
  percent: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100 })),
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
});
export type ReminderThreshold = Static<typeof ReminderThreshold>;

export const ReminderSettings = Type.Object({
  thresholds: Type.Array(ReminderThreshold, { minItems: 1, maxItems: 10 }),
});
export type ReminderSettings = Static<typeof ReminderSettings>;

export const ReminderDue = Type.Object({
  certificate: CertificateSummary,
  /** Stable id of the crossed threshold, e.g. "10%+14d"; "expired" once past notAfter. */
  threshold: Type.String(),
  /** Readable, e.g. "10% of the lifetime or 14 days left". */
  thresholdLabel: Type.String(),
  /** The moment the threshold was crossed. */
  crossedAt: Type.String(),
  /** Whether the notification for it went out (or was queued). */
  notified: Type.Boolean(),
});
export type ReminderDue = Static<typeof ReminderDue>;

export const RemindersDue = Type.Object({ items: Type.Array(ReminderDue) });
export type RemindersDue = Static<typeof RemindersDue>;

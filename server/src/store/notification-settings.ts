import type { NotificationEvent, ReminderThreshold, SmtpSecurity, Webhook } from '@certdesk/shared';
import fp from 'fastify-plugin';
import type { KeyEncryption } from './key-encryption.js';
import type { KvStore } from './kv.js';

const NOTIFICATIONS_KEY = 'notification_settings';
const REMINDERS_KEY = 'reminder_thresholds';

export interface StoredEmail {
  host: string;
  port: number;
  security: SmtpSecurity;
  username?: string;
  /** The SMTP password sealed like private keys (store/key-encryption.ts), base64. */
  passwordSealed?: string;
  from: string;
  to: string[];
}

export interface StoredNotificationSettings {
  email: StoredEmail | null;
  webhooks: Webhook[];
  events: NotificationEvent[];
}

const DEFAULT_SETTINGS: StoredNotificationSettings = {
  email: null,
  webhooks: [],
  events: ['expiring', 'expired', 'renewal-failed', 'deploy-failed', 'drift'],
};

/**
 * Notification settings and reminder thresholds, each one JSON row of the kv table. The SMTP password
 * is sealed under the key-encryption key before it reaches the database and opened only to send.
 */
export class NotificationSettingsStore {
  constructor(
    private readonly kv: KvStore,
    private readonly enc: KeyEncryption,
  ) {}

  get(): StoredNotificationSettings {
    const raw = this.kv.get(NOTIFICATIONS_KEY);
    return raw === undefined ? DEFAULT_SETTINGS : { ...DEFAULT_SETTINGS, ...JSON.parse(raw) };
  }

  set(settings: StoredNotificationSettings): void {
    this.kv.set(NOTIFICATIONS_KEY, JSON.stringify(settings));
  }

  seal(password: string): string {
    return this.enc.seal(Buffer.from(password, 'utf8')).toString('base64');
  }

  /** The SMTP password in clear, for the mail transport only. */
  smtpPassword(): string | undefined {
    const sealed = this.get().email?.passwordSealed;
    return sealed === undefined ? undefined : this.enc.open(Buffer.from(sealed, 'base64')).toString('utf8');
  }

  reminderThresholds(): ReminderThreshold[] | undefined {
    const raw = this.kv.get(REMINDERS_KEY);
    return raw === undefined ? undefined : (JSON.parse(raw) as ReminderThreshold[]);
  }

  setReminderThresholds(list: ReminderThreshold[]): void {
    this.kv.set(REMINDERS_KEY, JSON.stringify(list));
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate(
      'notificationSettings',
      new NotificationSettingsStore(fastify.kv, fastify.keyEncryption),
    );
  },
  { name: 'notification-settings-repository', dependencies: ['db', 'kv-repository'] },
);

import fp from 'fastify-plugin';
import { ExpiryReminders } from '../../services/expiry-reminders.js';
import { NotificationSettingsService } from '../../services/notification-settings-service.js';
import { NotifyService } from '../../services/notify-service.js';

/**
 * Notifications and expiry reminders: wires the services, subscribes them to the event bus once the app
 * is ready, and stops their timers (after any delivery in flight) on close.
 */
export default fp(
  async (fastify) => {
    const { config } = fastify;
    fastify.decorate(
      'notificationSettingsService',
      new NotificationSettingsService({ store: fastify.notificationSettings, audit: fastify.audit }),
    );
    const notifier = new NotifyService({
      outbox: fastify.notificationOutbox,
      settings: fastify.notificationSettings,
      certificates: fastify.certificates,
      trustAnchors: fastify.trustAnchors,
      events: fastify.events,
      clock: fastify.clock,
      log: fastify.log,
      consoleUrl: () => {
        const s = fastify.settings.serverSettings();
        const wildcard = config.host === '0.0.0.0' || config.host === '::';
        const host = s.serverNames[0] ?? (wildcard ? null : config.host);
        if (!host) return null;
        const [scheme, port, usual] = s.httpsEnabled ? ['https', s.httpsPort, 443] : ['http', s.httpPort, 80];
        return `${scheme}://${host.includes(':') ? `[${host}]` : host}${port === usual ? '' : `:${port}`}`;
      },
    });
    const reminders = new ExpiryReminders({
      db: fastify.db,
      remindersSent: fastify.remindersSent,
      settings: fastify.notificationSettings,
      certificateQueries: fastify.certificateQueries,
      audit: fastify.audit,
      events: fastify.events,
      clock: fastify.clock,
    });
    fastify.decorate('notifier', notifier);
    fastify.decorate('reminders', reminders);
    fastify.addHook('onReady', async () => {
      notifier.start();
      reminders.start();
    });
    fastify.addHook('onClose', async () => {
      reminders.stop();
      notifier.stop();
      await notifier.settled();
    });
  },
  { name: 'notifications', dependencies: ['repositories', 'audit', 'settings', 'events'] },
);

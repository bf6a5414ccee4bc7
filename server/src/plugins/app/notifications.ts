import fp from 'fastify-plugin';
import { consoleUrl } from '../../services/console-url.js';
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
      consoleUrl: () => consoleUrl(config.host, fastify.settings.serverSettings()),
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
      notifier.watchOutbox();
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

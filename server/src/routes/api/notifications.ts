import {
  NotificationDeliveries,
  NotificationSettings,
  NotificationSettingsUpdate,
  NotificationTestResult,
  ReminderSettings,
  RemindersDue,
} from '@certdesk/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { can } from '../../services/permissions.js';
import { errorResponses } from './responses.js';

/** Notification settings, test sends, deliveries, reminder thresholds and the reminders due (API.md). */
const notifications: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/settings/notifications',
    {
      config: { permission: 'settings:read' },
      schema: {
        tags: ['settings'],
        description:
          'Roles that may not change the settings see each webhook as its origin followed by "/…": the full URL of a Slack or Teams webhook is what lets anyone post to the channel.',
        response: { 200: NotificationSettings, ...errorResponses() },
      },
    },
    async (request) =>
      fastify.notificationSettingsService.view({
        fullWebhookUrls: request.user !== null && can(request.user.role, 'settings:write'),
      }),
  );

  fastify.put(
    '/settings/notifications',
    {
      config: { permission: 'settings:write' },
      schema: {
        tags: ['settings'],
        description:
          'E-mail (SMTP) and webhooks. `email.password` omitted keeps the stored one, "" removes it; it is sealed at rest and never returned (`hasPassword`).',
        body: NotificationSettingsUpdate,
        response: { 200: NotificationSettings, ...errorResponses(400, 422) },
      },
    },
    async (request) => fastify.notificationSettingsService.update(request.body, request),
  );

  fastify.post(
    '/settings/notifications/test',
    {
      config: { permission: 'settings:write' },
      schema: {
        tags: ['settings'],
        description: 'Sends a test message to every configured channel now and reports each.',
        response: { 200: NotificationTestResult, ...errorResponses(409) },
      },
    },
    async (request) => {
      const result = await fastify.notifier.test();
      fastify.audit.record(request, {
        action: 'settings.notifications.test',
        details: { results: result.results.map((r) => ({ channel: r.channel, ok: r.ok })) },
      });
      return result;
    },
  );

  fastify.get(
    '/notifications/deliveries',
    {
      config: { permission: 'settings:read' },
      schema: {
        tags: ['settings'],
        description: 'Recent deliveries, newest first, with their status and last error.',
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }),
        response: { 200: NotificationDeliveries, ...errorResponses(400) },
      },
    },
    async (request) => ({ items: fastify.notifier.deliveries(request.query.limit ?? 50) }),
  );

  fastify.get(
    '/settings/reminders',
    {
      config: { permission: 'settings:read' },
      schema: { tags: ['settings'], response: { 200: ReminderSettings, ...errorResponses() } },
    },
    async () => ({ thresholds: fastify.reminders.thresholds() }),
  );

  fastify.put(
    '/settings/reminders',
    {
      config: { permission: 'settings:write' },
      schema: {
        tags: ['settings'],
        description:
          'Reminder thresholds for certificates renewed by hand: `percent` of the lifetime left, `days` left, or both (crossed when both hold).',
        body: ReminderSettings,
        response: { 200: ReminderSettings, ...errorResponses(400, 422) },
      },
    },
    async (request) => ({ thresholds: fastify.reminders.setThresholds(request.body.thresholds, request) }),
  );

  fastify.get(
    '/dashboard/reminders',
    {
      config: { permission: 'inventory:read' },
      schema: {
        tags: ['dashboard'],
        description:
          'Certificates renewed by hand that crossed a reminder threshold (or just expired), soonest first.',
        response: { 200: RemindersDue, ...errorResponses() },
      },
    },
    async () => ({ items: fastify.reminders.due() }),
  );
};

export default notifications;

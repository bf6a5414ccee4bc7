import { Dashboard, ExpirySettings } from '@certdesk/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { dashboard as buildDashboard } from '../../services/dashboard.js';
import { errorResponses } from './responses.js';

/** Expiry at a glance (PRODUCT.md §7): GET /api/dashboard and the warning thresholds. */
const dashboard: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/dashboard',
    {
      config: { permission: 'inventory:read' },
      schema: { tags: ['dashboard'], response: { 200: Dashboard, ...errorResponses() } },
    },
    async () => buildDashboard(fastify),
  );

  fastify.get(
    '/settings/expiry',
    {
      config: { permission: 'settings:read' },
      schema: { tags: ['settings'], response: { 200: ExpirySettings, ...errorResponses() } },
    },
    async () => ({ thresholds: fastify.settings.expiryThresholds() }),
  );

  fastify.put(
    '/settings/expiry',
    {
      config: { permission: 'settings:write' },
      schema: {
        tags: ['settings'],
        description: 'Warning thresholds in days (1–3650, up to 10 of them). Stored largest first.',
        body: ExpirySettings,
        response: { 200: ExpirySettings, ...errorResponses(400) },
      },
    },
    async (request) => {
      const { before, after } = fastify.settings.setExpiryThresholds(request.body.thresholds);
      fastify.audit.record(request, { action: 'settings.expiry', details: { before, after } });
      return { thresholds: after };
    },
  );
};

export default dashboard;

import { AuditList, AuditQuery } from '@certdesk/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from './responses.js';

const audit: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/audit',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['audit'],
        description: 'Newest first; filters: action (exact, or a prefix ending in "."), actor, from, to.',
        querystring: AuditQuery,
        response: { 200: AuditList, ...errorResponses(400) },
      },
    },
    async (request) => {
      const { limit = 50, offset = 0, action, actor, from, to } = request.query;
      return fastify.audit.list({ action, actor, from, to, limit, offset });
    },
  );
};

export default audit;

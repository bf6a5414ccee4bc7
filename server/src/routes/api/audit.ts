import { AuditList, AuditQuery } from '@certdesk/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from './responses.js';

const audit: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        querystring: AuditQuery,
        response: { 200: AuditList, ...errorResponses(400) },
      },
    },
    async (request) => {
      const { limit = 50, offset = 0, action } = request.query;
      return fastify.audit.list({ action, limit, offset });
    },
  );
};

export default audit;

import { Readable } from 'node:stream';
import { AuditExportQuery, AuditList, AuditQuery } from '@certdesk/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { AuditFilterQuery } from '../../services/audit-service.js';
import { errorResponses } from './responses.js';

const audit: FastifyPluginAsyncTypebox = async (fastify) => {
  /** Streams the CSV: the filter is checked first (a bad one is a 400 with a code, not a cut download). */
  const sendCsv = (reply: FastifyReply, filters: AuditFilterQuery) => {
    const lines = fastify.audit.csv(filters);
    const day = new Date().toISOString().slice(0, 10);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="certdesk-audit-${day}.csv"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(lines));
  };

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
    async (request, reply) => {
      const { limit = 50, offset = 0, action, actor, from, to, format } = request.query;
      if (format === 'csv') return sendCsv(reply, { action, actor, from, to });
      return fastify.audit.list({ action, actor, from, to, limit, offset });
    },
  );

  fastify.get(
    '/audit.csv',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: 'Every matching audit entry as CSV (the filters of GET /api/audit)',
        querystring: AuditExportQuery,
        response: errorResponses(400),
      },
    },
    async (request, reply) => sendCsv(reply, request.query),
  );
};

export default audit;

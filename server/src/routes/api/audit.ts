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
      let where = '';
      const args: unknown[] = [];
      if (action) {
        if (action.endsWith('.')) {
          where = "WHERE action LIKE ? ESCAPE '\\'";
          args.push(`${action.replace(/[%_\\]/g, '\\$&')}%`);
        } else {
          where = 'WHERE action = ?';
          args.push(action);
        }
      }
      const total = (
        fastify.db.prepare(`SELECT count(*) AS n FROM audit_log ${where}`).get(...args) as { n: number }
      ).n;
      const rows = fastify.db
        .prepare(
          `SELECT id, at, actor, action, target, ip, details FROM audit_log ${where} ORDER BY id DESC LIMIT ? OFFSET ?`,
        )
        .all(...args, limit, offset) as {
        id: number;
        at: string;
        actor: string | null;
        action: string;
        target: string | null;
        ip: string | null;
        details: string | null;
      }[];
      return { total, items: rows.map((r) => ({ ...r, details: r.details ? JSON.parse(r.details) : null })) };
    },
  );
};

export default audit;

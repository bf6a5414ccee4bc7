import { ApiTokenList, IdParams, TokenCreateBody, TokenCreated } from '@certdesk/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../errors.js';
import { errorResponses } from './responses.js';

const tokens: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/tokens',
    {
      schema: {
        tags: ['auth'],
        body: TokenCreateBody,
        response: { 201: TokenCreated, ...errorResponses(400) },
      },
    },
    async (request, reply) => {
      const user = request.user!;
      const { id, token } = fastify.auth.createApiToken(user.id, request.body.name);
      fastify.audit.record(request, {
        action: 'token.create',
        target: id,
        details: { name: request.body.name },
      });
      return reply.status(201).send({ id, name: request.body.name, token });
    },
  );

  fastify.get(
    '/tokens',
    { schema: { tags: ['auth'], response: { 200: ApiTokenList, ...errorResponses() } } },
    async (request) => {
      const rows = fastify.db
        .prepare(
          'SELECT id, name, prefix, created_at, last_used_at FROM api_tokens WHERE user_id = ? ORDER BY id',
        )
        .all(request.user!.id) as {
        id: number;
        name: string;
        prefix: string;
        created_at: string;
        last_used_at: string | null;
      }[];
      return {
        items: rows.map((r) => ({
          id: r.id,
          name: r.name,
          prefix: r.prefix,
          createdAt: r.created_at,
          lastUsedAt: r.last_used_at,
        })),
      };
    },
  );

  fastify.delete(
    '/tokens/:id',
    {
      schema: {
        tags: ['auth'],
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const token = fastify.db
        .prepare('SELECT name FROM api_tokens WHERE id = ? AND user_id = ?')
        .get(request.params.id, request.user!.id) as { name: string } | undefined;
      if (!token) throw new AppError('NOT_FOUND', 'There is no API token with this id.');
      fastify.db.prepare('DELETE FROM api_tokens WHERE id = ?').run(request.params.id);
      // Ids can be reused after a delete; the name tells audit readers which token it was.
      fastify.audit.record(request, {
        action: 'token.delete',
        target: request.params.id,
        details: { name: token.name },
      });
      return reply.status(204).send(null);
    },
  );
};

export default tokens;

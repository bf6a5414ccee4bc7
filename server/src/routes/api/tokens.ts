import { ApiTokenList, IdParams, TokenCreateBody, TokenCreated } from '@certdesk/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
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
    async (request) => ({ items: fastify.auth.listApiTokens(request.user!.id) }),
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
      const name = fastify.auth.deleteApiToken(request.user!.id, request.params.id);
      // Ids can be reused after a delete; the name tells audit readers which token it was.
      fastify.audit.record(request, {
        action: 'token.delete',
        target: request.params.id,
        details: { name },
      });
      return reply.status(204).send(null);
    },
  );
};

export default tokens;

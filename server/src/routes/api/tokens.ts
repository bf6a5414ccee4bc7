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
        description:
          'Asks for the account password again (403 REAUTH_FAILED if wrong, 429 after repeated failures): a token outlives the session that makes it. Within five minutes of signing in the password may be left out (the original `{ name }` form). Expires after `expiresInDays` (default 90, at most 365); an expired token is refused with 401 TOKEN_EXPIRED.',
        body: TokenCreateBody,
        response: { 201: TokenCreated, ...errorResponses(400, 429) },
      },
    },
    async (request, reply) => {
      const user = request.user!;
      const { name, password, totp, expiresInDays } = request.body;
      const fresh = password === undefined && fastify.auth.signedInRecently(request.signedInAt);
      if (!fresh) await fastify.auth.reauthenticate(user, password, request.ip, totp);
      const { id, token, expiresAt } = fastify.auth.createApiToken(user.id, name, expiresInDays);
      fastify.audit.record(request, { action: 'token.create', target: id, details: { name, expiresAt } });
      return reply.status(201).send({ id, name, token, expiresAt });
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

import { ApiTokenList, IdParams, TokenCreateBody, TokenCreated } from '@certdesk/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../errors.js';
import { atMost, can } from '../../services/permissions.js';
import { errorResponses } from './responses.js';

/** Whose tokens the caller sees and deletes: everyone's with 'tokens:all' (null), else their own. */
const ownerScope = (request: FastifyRequest): number | null =>
  can(request.user!.role, 'tokens:all') ? null : request.user!.id;

const tokens: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/tokens',
    {
      config: { permission: 'tokens:own' },
      schema: {
        tags: ['auth'],
        description:
          '`role` narrows the token below the account role (never above it: 403 FORBIDDEN). Asks for the account password again (403 REAUTH_FAILED if wrong, 429 after repeated failures): a token outlives the session that makes it. Within five minutes of signing in the password may be left out (the original `{ name }` form). Expires after `expiresInDays` (default 90, at most 365); an expired token is refused with 401 TOKEN_EXPIRED.',
        body: TokenCreateBody,
        response: { 201: TokenCreated, ...errorResponses(400, 429) },
      },
    },
    async (request, reply) => {
      const user = request.user!;
      const { name, password, totp, expiresInDays, role = null } = request.body;
      // A token never acts above its maker (an API token's role, when a token makes one).
      if (role && !atMost(role, user.role)) {
        throw new AppError('FORBIDDEN', `An ${user.role} cannot create a token with the role ${role}.`, {
          field: 'role',
        });
      }
      const fresh = password === undefined && fastify.auth.signedInRecently(request.signedInAt);
      if (!fresh) await fastify.auth.reauthenticate(user, password, request.ip, totp);
      const { id, token, expiresAt } = fastify.auth.createApiToken(user.id, name, expiresInDays, role);
      fastify.audit.record(request, {
        action: 'token.create',
        target: id,
        details: { name, expiresAt, role: role ?? user.role },
      });
      return reply.status(201).send({ id, name, token, expiresAt, role });
    },
  );

  fastify.get(
    '/tokens',
    {
      config: { permission: 'tokens:own' },
      schema: { tags: ['auth'], response: { 200: ApiTokenList, ...errorResponses() } },
    },
    async (request) => ({ items: fastify.auth.listApiTokens(ownerScope(request)) }),
  );

  fastify.delete(
    '/tokens/:id',
    {
      config: { permission: 'tokens:own' },
      schema: {
        tags: ['auth'],
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const name = fastify.auth.deleteApiToken(ownerScope(request), request.params.id);
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

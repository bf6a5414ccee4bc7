import {
  IdParams,
  PasswordResetAnswer,
  UserAccount,
  UserCreateBody,
  UserList,
  UserUpdateBody,
} from '@certdesk/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Actor } from '../../services/user-accounts.js';
import { errorResponses } from './responses.js';

const tags = ['users'];
const config = { permission: 'users:manage' } as const;

/** Users and roles (API.md "Users and roles"): administrators only, by the permission table. */
const users: FastifyPluginAsyncTypebox = async (fastify) => {
  const actor = (request: FastifyRequest): Actor => request as Actor;

  fastify.get(
    '/users',
    { config, schema: { tags, response: { 200: UserList, ...errorResponses() } } },
    async () => ({ items: fastify.accounts.list() }),
  );

  fastify.post(
    '/users',
    {
      config,
      schema: {
        tags,
        description: `The password follows the same policy as every account password. 409 USERNAME_TAKEN.`,
        body: UserCreateBody,
        response: { 201: UserAccount, ...errorResponses(400, 409) },
      },
    },
    async (request, reply) => {
      const { username, password, role } = request.body;
      return reply.status(201).send(await fastify.accounts.create(actor(request), username, password, role));
    },
  );

  fastify.patch(
    '/users/:id',
    {
      config,
      schema: {
        tags,
        description:
          'Changes the role and/or disables (ends the sessions; the API tokens stop working) or enables. ' +
          '409 LAST_ADMIN when no enabled administrator would be left; 409 OWN_ACCOUNT for your own account.',
        params: IdParams,
        body: UserUpdateBody,
        response: { 200: UserAccount, ...errorResponses(400, 404, 409) },
      },
    },
    async (request) => fastify.accounts.update(actor(request), request.params.id, request.body),
  );

  fastify.delete(
    '/users/:id',
    {
      config,
      schema: {
        tags,
        description: 'Deletes the account, its sessions and API tokens. 409 LAST_ADMIN, 409 OWN_ACCOUNT.',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 404, 409) },
      },
    },
    async (request, reply) => {
      fastify.accounts.delete(actor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  fastify.post(
    '/users/:id/reset-password',
    {
      config,
      schema: {
        tags,
        summary: 'Set a one-time password, shown once',
        description:
          "Ends the account's sessions. At the next sign-in the account must choose a new password: until then " +
          'every route but the password change, me and logout answers 403 PASSWORD_CHANGE_REQUIRED.',
        params: IdParams,
        response: { 200: PasswordResetAnswer, ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const { password } = await fastify.accounts.resetPassword(actor(request), request.params.id);
      reply.header('cache-control', 'no-store');
      return { password };
    },
  );
};

export default users;

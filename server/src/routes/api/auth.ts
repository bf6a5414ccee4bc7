import { LoginBody, SessionInfo } from '@certdesk/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../errors.js';
import { SESSION_COOKIE } from '../../services/auth-service.js';
import { errorResponses } from './responses.js';
import { clearSessionCookie, startSession } from './session-cookie.js';

const auth: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.post(
    '/auth/login',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        security: [],
        body: LoginBody,
        response: { 200: SessionInfo, ...errorResponses(400, 429) },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      // Reserved before the slow hash, so parallel guesses are counted while they are being checked.
      const attempt = fastify.auth.throttle.begin('login', request.ip, username);
      const user = await fastify.auth.verifyPassword(username, password).catch((err: unknown) => {
        attempt.release();
        throw err;
      });
      if (!user) {
        attempt.failed();
        fastify.audit.record(request, { actor: username.slice(0, 100), action: 'auth.login_failed' });
        throw new AppError('INVALID_CREDENTIALS');
      }
      attempt.succeeded(user.id);
      const csrfToken = startSession(request, reply, user);
      fastify.audit.record(request, { actor: user.username, action: 'auth.login' });
      return { user, csrfToken };
    },
  );

  fastify.post(
    '/auth/logout',
    { schema: { tags: ['auth'], response: { 204: Type.Null(), ...errorResponses() } } },
    async (request, reply) => {
      const sessionId = request.cookies[SESSION_COOKIE];
      if (sessionId) fastify.auth.destroySession(sessionId);
      clearSessionCookie(reply);
      fastify.audit.record(request, { action: 'auth.logout' });
      return reply.status(204).send(null);
    },
  );

  fastify.get(
    '/auth/me',
    { schema: { tags: ['auth'], response: { 200: SessionInfo, ...errorResponses() } } },
    async (request) => {
      // Bearer callers have no CSRF token; they never need one.
      return { user: request.user!, csrfToken: request.csrfToken ?? '' };
    },
  );
};

export default auth;

import { LoginBody, PasswordChangeBody, SessionInfo } from '@certdesk/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../errors.js';
import { permissionsOf } from '../../services/permissions.js';
import { errorResponses } from './responses.js';
import { clearSessionCookie, currentSessionId, sessionCookie, startSession } from './session-cookie.js';
import { checkTotp } from './totp.js';

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
        description:
          'With two-factor sign-in on, a right password without `totp` answers 401 TOTP_REQUIRED and a wrong code 401 INVALID_TOTP; neither starts a session.',
      },
    },
    async (request, reply) => {
      const { username, password, totp } = request.body;
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
      // Two-factor: inside the same reservation; throws TOTP_REQUIRED / INVALID_TOTP (no session).
      const secondFactor = checkTotp(request, user, totp, attempt);
      attempt.succeeded(user.id);
      const csrfToken = startSession(request, reply, user);
      fastify.audit.record(request, {
        actor: user.username,
        action: 'auth.login',
        ...(secondFactor ? { details: { secondFactor } } : {}),
      });
      return { user, csrfToken };
    },
  );

  fastify.post(
    '/auth/logout',
    {
      config: { permission: 'account' },
      schema: { tags: ['auth'], response: { 204: Type.Null(), ...errorResponses() } },
    },
    async (request, reply) => {
      const sessionId = sessionCookie(request);
      if (sessionId) fastify.auth.destroySession(sessionId);
      clearSessionCookie(reply);
      fastify.audit.record(request, { action: 'auth.logout' });
      return reply.status(204).send(null);
    },
  );

  fastify.post(
    '/auth/password',
    {
      config: { permission: 'account' },
      schema: {
        tags: ['auth'],
        summary: 'Change the signed-in account password',
        description:
          'Asks for the current password (403 REAUTH_FAILED if wrong, 429 after repeated failures). Ends every other session of the account; the session making the change stays signed in. API tokens keep working.',
        body: PasswordChangeBody,
        response: { 204: Type.Null(), ...errorResponses(400, 422, 429) },
      },
    },
    async (request, reply) => {
      const { currentPassword, newPassword, totp } = request.body;
      const ended = await fastify.auth.changePassword(
        request.user!,
        currentPassword,
        newPassword,
        currentSessionId(request),
        request.ip,
        totp,
      );
      fastify.audit.record(request, { action: 'auth.password_change', details: { endedSessions: ended } });
      return reply.status(204).send(null);
    },
  );

  fastify.post(
    '/auth/logout-all',
    {
      config: { permission: 'account' },
      schema: {
        tags: ['auth'],
        summary: 'Sign out everywhere',
        description: 'Ends every session of the account, this one included. API tokens keep working.',
        response: { 204: Type.Null(), ...errorResponses() },
      },
    },
    async (request, reply) => {
      const ended = fastify.auth.endAllSessions(request.user!.id);
      clearSessionCookie(reply);
      fastify.audit.record(request, { action: 'auth.logout_all', details: { endedSessions: ended } });
      return reply.status(204).send(null);
    },
  );

  fastify.get(
    '/auth/me',
    {
      config: { permission: 'account' },
      schema: { tags: ['auth'], response: { 200: SessionInfo, ...errorResponses() } },
    },
    async (request) => {
      // Bearer callers have no CSRF token; they never need one.
      const user = request.user!;
      return { user, csrfToken: request.csrfToken ?? '', permissions: permissionsOf(user.role) };
    },
  );
};

export default auth;

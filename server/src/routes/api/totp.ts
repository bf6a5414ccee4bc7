import {
  RecoveryCodes,
  SecuritySettings,
  TotpEnableBody,
  TotpReauthBody,
  TotpSetup,
  TotpStatus,
} from '@certdesk/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../errors.js';
import type { RequestUser } from '../../services/auth-service.js';
import type { Attempt } from '../../services/throttle.js';
import { errorResponses } from './responses.js';

const tags = ['auth'];

/**
 * The sign-in route's second step: throws TOTP_REQUIRED / INVALID_TOTP (auditing a wrong code) and
 * otherwise says how the user proved it ('totp', 'recovery-code', or null when TOTP is off).
 */
export function checkTotp(
  request: FastifyRequest,
  user: RequestUser,
  totp: string | undefined,
  attempt: Attempt,
): string | null {
  try {
    return request.server.totp.checkSignIn(user.id, totp, attempt);
  } catch (err) {
    if (err instanceof AppError && err.code === 'INVALID_TOTP') {
      request.server.audit.record(request, {
        actor: user.username,
        action: 'auth.login_failed',
        details: { reason: 'totp' },
      });
    }
    throw err;
  }
}

/** Two-factor sign-in (API.md "Users and roles"): always the signed-in user's own account. */
const totp: FastifyPluginAsyncTypebox = async (fastify) => {
  const service = fastify.totp;

  fastify.get(
    '/auth/totp',
    {
      config: { permission: 'account' },
      schema: { tags, response: { 200: TotpStatus, ...errorResponses() } },
    },
    async (request) => service.status(request.user!.id),
  );

  fastify.post(
    '/auth/totp/setup',
    {
      config: { permission: 'account' },
      schema: {
        tags,
        summary: 'Start enrolment: a new secret, its otpauth URL and QR code (SVG), shown only now',
        description:
          'The secret waits for POST /api/auth/totp/enable with a code from the app. 409 TOTP_ALREADY_ENABLED when it is on (disable first).',
        response: { 200: TotpSetup, ...errorResponses(409) },
      },
    },
    async (request, reply) => {
      const answer = await service.setup(request.user!);
      fastify.audit.record(request, { action: 'auth.totp_setup' });
      return reply.header('cache-control', 'no-store').send(answer);
    },
  );

  fastify.post(
    '/auth/totp/enable',
    {
      config: { permission: 'account' },
      schema: {
        tags,
        summary: 'Confirm enrolment with a code; answers the 10 recovery codes, shown only now',
        body: TotpEnableBody,
        response: { 200: RecoveryCodes, ...errorResponses(400, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      const answer = service.enable(request.user!, request.body.code, request.ip);
      fastify.audit.record(request, { action: 'auth.totp_enable' });
      return reply.header('cache-control', 'no-store').send(answer);
    },
  );

  fastify.post(
    '/auth/totp/disable',
    {
      config: { permission: 'account' },
      schema: {
        tags,
        summary: 'Turn two-factor sign-in off; asks for the password and a code (or a recovery code)',
        body: TotpReauthBody,
        response: { 204: Type.Null(), ...errorResponses(400, 409, 429) },
      },
    },
    async (request, reply) => {
      const user = request.user!;
      await fastify.auth.reauthenticate(user, request.body.password, request.ip, request.body.totp);
      service.disable(user.id);
      fastify.audit.record(request, { action: 'auth.totp_disable' });
      return reply.status(204).send(null);
    },
  );

  fastify.post(
    '/auth/totp/recovery-codes',
    {
      config: { permission: 'account' },
      schema: {
        tags,
        summary: 'New recovery codes (the old ones stop working); asks for the password and a code',
        body: TotpReauthBody,
        response: { 200: RecoveryCodes, ...errorResponses(400, 409, 429) },
      },
    },
    async (request, reply) => {
      const user = request.user!;
      await fastify.auth.reauthenticate(user, request.body.password, request.ip, request.body.totp);
      const answer = service.regenerateRecoveryCodes(user.id);
      fastify.audit.record(request, { action: 'auth.totp_recovery_codes' });
      return reply.header('cache-control', 'no-store').send(answer);
    },
  );

  fastify.get(
    '/settings/security',
    {
      config: { permission: 'settings:read' },
      schema: { tags: ['settings'], response: { 200: SecuritySettings, ...errorResponses() } },
    },
    async () => ({ requireTwoFactor: service.requiredForEveryone() }),
  );

  fastify.put(
    '/settings/security',
    {
      // A sign-in policy for every account: administrators only (operators may change other settings).
      config: { permission: 'users:manage' },
      schema: {
        tags: ['settings'],
        description:
          'requireTwoFactor: accounts without two-factor sign-in can then only enrol (403 TOTP_ENROLMENT_REQUIRED elsewhere). Turning it on needs two-factor on the calling account (409 TOTP_NOT_ENABLED).',
        body: SecuritySettings,
        response: { 200: SecuritySettings, ...errorResponses(400, 409) },
      },
    },
    async (request) => {
      const before = service.requiredForEveryone();
      service.setRequiredForEveryone(request.body.requireTwoFactor, request.user!.id);
      const after = service.requiredForEveryone();
      fastify.audit.record(request, {
        action: 'settings.security',
        details: { requireTwoFactor: { before, after } },
      });
      return { requireTwoFactor: after };
    },
  );
};

export default totp;

import fs from 'node:fs';
import { SessionInfo, SetupBody, SetupStatus } from '@certdesk/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { setupTokenFile } from '../../config.js';
import { AppError } from '../../errors.js';
import { errorResponses } from './responses.js';
import { startSession } from './session-cookie.js';

/** First-run setup: the one-time link from the server log creates the first administrator. */
const setup: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/setup',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        security: [],
        description:
          'Whether the first administrator is still to be created; until then also where the setup token is (setupTokenFile), so the sign-in page can say which file to read. Never once an account exists.',
        response: { 200: SetupStatus },
      },
    },
    async () => {
      const needsSetup = fastify.auth.userCount() === 0;
      return needsSetup
        ? { needsSetup, setupTokenFile: setupTokenFile(fastify.config.dataDir) }
        : { needsSetup };
    },
  );

  fastify.post(
    '/setup',
    {
      config: { public: true },
      schema: {
        tags: ['auth'],
        security: [],
        body: SetupBody,
        response: { 200: SessionInfo, ...errorResponses(400, 409, 429) },
      },
    },
    async (request, reply) => {
      if (fastify.auth.userCount() > 0) throw new AppError('SETUP_ALREADY_DONE');
      const attempt = fastify.auth.throttle.begin('setup', request.ip, '');
      if (!fastify.auth.checkSetupToken(request.body.token)) {
        attempt.failed();
        throw new AppError('SETUP_TOKEN_INVALID');
      }
      attempt.succeeded(null);
      // Use the token up before the slow password hash: a second request racing this one finds no token.
      fastify.auth.clearSetupToken();
      const user = await fastify.auth.createUser(request.body.username, request.body.password);
      fs.rmSync(setupTokenFile(fastify.config.dataDir), { force: true });
      fastify.audit.record(request, {
        actor: user.username,
        action: 'user.create',
        target: user.username,
        details: { via: 'setup' },
      });
      const csrfToken = startSession(request, reply, user);
      return { user, csrfToken };
    },
  );
};

export default setup;

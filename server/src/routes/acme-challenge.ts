import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../errors.js';

const TOKEN = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * HTTP-01 answers (RFC 8555 §8.3) on the console's own listeners, outside /api: the CA's validator has
 * no session, and the HTTP listener never redirects this path to HTTPS (tls/redirect.ts).
 */
const acmeChallenge: FastifyPluginAsync = async (fastify) => {
  fastify.get<{ Params: { token: string } }>(
    '/.well-known/acme-challenge/:token',
    { schema: { hide: true } },
    async (request, reply) => {
      const { token } = request.params;
      const answer = TOKEN.test(token) ? fastify.acmeChallenges.keyAuthorization(token) : undefined;
      if (answer === undefined) throw new AppError('NOT_FOUND');
      return reply.header('content-type', 'text/plain').header('cache-control', 'no-store').send(answer);
    },
  );
};

export default acmeChallenge;

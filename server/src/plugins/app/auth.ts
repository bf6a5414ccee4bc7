import fp from 'fastify-plugin';
import { AuthService } from '../../services/auth-service.js';

export default fp(
  async (fastify) => {
    const auth = new AuthService({
      db: fastify.db,
      users: fastify.users,
      sessions: fastify.sessions,
      apiTokens: fastify.apiTokens,
      kv: fastify.kv,
      knownAddresses: fastify.knownAddresses,
    });
    fastify.decorate('auth', auth);
    fastify.decorateRequest('user', null);
    fastify.decorateRequest('authMethod', null);
    fastify.decorateRequest('apiToken', null);
    fastify.decorateRequest('csrfToken', null);
    fastify.decorateRequest('signedInAt', null);
    const timer = setInterval(() => auth.pruneSessions(), 10 * 60 * 1000);
    timer.unref();
    fastify.addHook('onClose', async () => clearInterval(timer));
  },
  { name: 'auth', dependencies: ['repositories'] },
);

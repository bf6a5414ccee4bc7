import fp from 'fastify-plugin';
import { UserAccounts } from '../../services/user-accounts.js';

export default fp(
  async (fastify) => {
    fastify.decorate(
      'accounts',
      new UserAccounts({
        db: fastify.db,
        users: fastify.users,
        sessions: fastify.sessions,
        audit: fastify.audit,
        twoFactor: fastify.totpSecrets,
      }),
    );
  },
  { name: 'accounts', dependencies: ['repositories', 'audit'] },
);

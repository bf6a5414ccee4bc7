import fp from 'fastify-plugin';
import { TotpService } from '../../services/totp-service.js';

export default fp(
  async (fastify) => {
    const totp = new TotpService({
      store: fastify.totpSecrets,
      kv: fastify.kv,
      clock: fastify.clock,
      throttle: fastify.auth.throttle,
    });
    fastify.decorate('totp', totp);
    // Re-authentication (key export, tokens, password change) asks for the code too once TOTP is on.
    fastify.auth.secondFactor = totp;
  },
  { name: 'totp', dependencies: ['auth', 'repositories'] },
);

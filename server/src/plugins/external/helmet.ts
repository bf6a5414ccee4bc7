import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';

/**
 * Security headers. HSTS is left to the HTTPS listener (sent only once HTTPS is confirmed): over plain HTTP
 * in bootstrap mode it would be ignored at best and lock the admin out at worst.
 */
export default fp(
  async (fastify) => {
    await fastify.register(helmet, {
      hsts: false,
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
        },
      },
      // No upgrade-insecure-requests: the console must work over plain HTTP until HTTPS is switched on.
      crossOriginOpenerPolicy: { policy: 'same-origin' },
    });
  },
  { name: 'helmet' },
);

import fp from 'fastify-plugin';

/**
 * Owns the HTTPS listener (issue "HTTPS mode"). Other features call `reload()` after they change which
 * certificate is active or bound, so the listener serves the new one.
 */
export class HttpsManager {
  async reload(): Promise<void> {}
}

export default fp(
  async (fastify) => {
    fastify.decorate('httpsManager', new HttpsManager());
  },
  { name: 'https-manager', dependencies: ['db'] },
);

import fp from 'fastify-plugin';
import { type Clock, systemClock } from '../../clock.js';
import { HttpsManager } from '../../services/https-mode.js';
import { Listeners } from '../../tls/listeners.js';

export { HttpsManager };

export interface HttpsManagerOptions {
  /** Tests pass a clock they advance by hand; production runs on the real one. */
  clock?: Clock;
}

/**
 * Wires HTTPS mode into the app: the listeners carry Fastify's router, plain HTTP redirects to HTTPS
 * once it is confirmed, and HTTPS answers carry HSTS. server.ts calls `httpsManager.start()`.
 */
export default fp<HttpsManagerOptions>(
  async (fastify, opts) => {
    const { initialConfig, config } = fastify;
    const listeners = new Listeners((req, res) => fastify.routing(req, res), config.host, {
      keepAliveTimeout: initialConfig.keepAliveTimeout ?? 10_000,
      requestTimeout: (initialConfig as { requestTimeout?: number }).requestTimeout ?? 60_000,
      handshakeTimeout: config.tlsHandshakeTimeoutMs,
      maxConnections: config.maxConnections,
    });
    const manager = new HttpsManager({
      stores: { db: fastify.db, certificates: fastify.certificates, privateKeys: fastify.privateKeys },
      listeners,
      audit: fastify.audit,
      log: fastify.log,
      clock: opts.clock ?? systemClock,
      config,
    });
    fastify.decorate('httpsManager', manager);

    // Synchronous hooks: they run on every request and nothing in them awaits.
    // HSTS is decided when the request arrives (one hook, not a second one on every send): the answer to
    // the confirming request itself goes without it, every later answer over HTTPS carries it.
    fastify.addHook('onRequest', (request, reply, done) => {
      const redirect = manager.redirectFor(request);
      if (redirect) {
        reply.header('cache-control', 'no-store').redirect(redirect.location, redirect.status);
        return;
      }
      const hsts = manager.hstsFor(request);
      if (hsts) reply.header('strict-transport-security', hsts);
      done();
    });
    fastify.addHook('onClose', async () => manager.close());
  },
  { name: 'https-manager', dependencies: ['db', 'audit'] },
);

import fp from 'fastify-plugin';
import { CertificateLifecycle } from '../../services/certificate-lifecycle.js';
import { defaultServerSettings } from '../../store/server-settings.js';

export default fp(
  async (fastify) => {
    const { config } = fastify;
    fastify.decorate(
      'certificateLifecycle',
      new CertificateLifecycle({
        db: fastify.db,
        certificates: fastify.certificates,
        privateKeys: fastify.privateKeys,
        csrs: fastify.csrs,
        bindings: fastify.bindings,
        kv: fastify.kv,
        defaults: () => defaultServerSettings(config.httpPort, config.httpsPort),
        reload: () => fastify.httpsManager.reload(),
        events: fastify.events,
        deployTargets: fastify.deployTargets,
      }),
    );
  },
  { name: 'certificate-lifecycle', dependencies: ['repositories', 'https-manager', 'events'] },
);

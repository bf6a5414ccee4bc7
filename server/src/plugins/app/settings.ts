import fp from 'fastify-plugin';
import { SettingsService } from '../../services/settings-service.js';
import { defaultServerSettings } from '../../store/server-settings.js';

export default fp(
  async (fastify) => {
    const { config } = fastify;
    fastify.decorate(
      'settings',
      new SettingsService({
        db: fastify.db,
        kv: fastify.kv,
        audit: fastify.audit,
        defaults: () => defaultServerSettings(config.httpPort, config.httpsPort, config.portsFromEnvironment),
      }),
    );
  },
  { name: 'settings', dependencies: ['repositories', 'audit'] },
);

import fp from 'fastify-plugin';
import { connectSsh } from '../../deploy/ssh-transport.js';
import type { VerifyTiming } from '../../services/deploy-run.js';
import { type ConnectSsh, DeployService } from '../../services/deploy-service.js';

export interface DeployPluginOptions {
  /** The SSH adapter; deploy/ssh-transport.ts by default, null to turn SSH targets off (SSH_UNAVAILABLE). */
  connectSsh?: ConnectSsh | null;
  /** Tests shorten the window in which a reloaded service must serve the new certificate. */
  verifyTiming?: VerifyTiming;
}

export default fp<DeployPluginOptions>(
  async (fastify, opts) => {
    const service = new DeployService({
      db: fastify.db,
      certificates: fastify.certificates,
      privateKeys: fastify.privateKeys,
      deployTargets: fastify.deployTargets,
      deployments: fastify.deployments,
      deployLeases: fastify.deployLeases,
      audit: fastify.audit,
      events: fastify.events,
      clock: fastify.clock,
      settings: fastify.config.deploy,
      connectSsh: opts.connectSsh === undefined ? connectSsh : (opts.connectSsh ?? undefined),
      verifyTiming: opts.verifyTiming,
    });
    fastify.decorate('deploy', service);
    fastify.addHook('onReady', async () => service.startDriftChecks());
    fastify.addHook('onClose', async () => service.stop());
  },
  { name: 'deploy', dependencies: ['repositories', 'audit', 'events'] },
);

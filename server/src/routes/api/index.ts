import type { FastifyPluginAsync } from 'fastify';
import docs from '../../plugins/external/swagger-ui.js';
import acme from './acme.js';
import audit from './audit.js';
import auth from './auth.js';
import { authenticate } from './auth-hook.js';
import bindings from './bindings.js';
import certificateImport from './certificate-import.js';
import certificates from './certificates.js';
import csrs from './csrs.js';
import dashboard from './dashboard.js';
import health from './health.js';
import settings from './settings.js';
import setup from './setup.js';
import tokens from './tokens.js';
import tools from './tools.js';
import trustAnchors from './trust-anchors.js';

/** Everything under /api: one auth hook for the folder, then each resource's routes. */
const api: FastifyPluginAsync = async (fastify) => {
  fastify.addHook('onRequest', authenticate);
  await fastify.register(health);
  await fastify.register(setup);
  await fastify.register(auth);
  await fastify.register(tokens);
  await fastify.register(audit);
  await fastify.register(csrs);
  await fastify.register(certificateImport);
  await fastify.register(certificates);
  await fastify.register(dashboard);
  await fastify.register(trustAnchors);
  await fastify.register(settings);
  await fastify.register(bindings);
  await fastify.register(acme);
  await fastify.register(tools);
  await fastify.register(docs);
  fastify.get('/openapi.json', { schema: { hide: true } }, async () => fastify.swagger());
};

export default api;

import type { FastifyPluginAsync } from 'fastify';
import { withUploads } from '../../plugins/external/multipart.js';
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
import deploy from './deploy.js';
import health from './health.js';
import notifications from './notifications.js';
import settings from './settings.js';
import setup from './setup.js';
import targets from './targets.js';
import tokens from './tokens.js';
import tools from './tools.js';
import totp from './totp.js';
import trustAnchors from './trust-anchors.js';
import users from './users.js';

/**
 * Everything under /api: one auth hook for the folder, then each resource's routes. Only the routes that
 * read a multipart form carry @fastify/multipart and its per-request hooks (`withUploads`).
 */
const api: FastifyPluginAsync = async (fastify) => {
  fastify.addHook('onRequest', authenticate);
  await fastify.register(health);
  await fastify.register(setup);
  await fastify.register(auth);
  await fastify.register(tokens);
  await fastify.register(users);
  await fastify.register(totp);
  await fastify.register(audit);
  await fastify.register(csrs);
  await fastify.register(withUploads(certificateImport));
  await fastify.register(certificates);
  await fastify.register(dashboard);
  await fastify.register(withUploads(trustAnchors));
  await fastify.register(settings);
  await fastify.register(bindings);
  await fastify.register(notifications);
  await fastify.register(acme);
  await fastify.register(withUploads(tools));
  await fastify.register(deploy);
  await fastify.register(targets);
  await fastify.register(docs);
  fastify.get('/openapi.json', { config: { permission: 'docs:read' }, schema: { hide: true } }, async () =>
    fastify.swagger(),
  );
};

export default api;

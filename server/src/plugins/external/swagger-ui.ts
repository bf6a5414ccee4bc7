import swaggerUi from '@fastify/swagger-ui';
import type { FastifyPluginAsync } from 'fastify';

/**
 * Interactive API docs. Registered inside the /api routes (not fastify-plugin) so the folder's auth hook
 * covers the page and its assets like every other /api route; each of them declares 'docs:read'.
 */
const docs: FastifyPluginAsync = async (fastify) => {
  fastify.addHook('onRoute', (route) => {
    route.config = { ...(route.config as object), permission: 'docs:read' };
  });
  await fastify.register(swaggerUi, { routePrefix: '/docs', staticCSP: false });
};

export default docs;

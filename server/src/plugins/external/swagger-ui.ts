import swaggerUi from '@fastify/swagger-ui';
import type { FastifyPluginAsync } from 'fastify';

/**
 * Interactive API docs. Registered inside the /api routes (not fastify-plugin) so the folder's auth hook
 * covers the page and its assets like every other /api route.
 */
const docs: FastifyPluginAsync = async (fastify) => {
  await fastify.register(swaggerUi, { routePrefix: '/docs', staticCSP: false });
};

export default docs;

import swagger from '@fastify/swagger';
import fp from 'fastify-plugin';

/** OpenAPI document generated from the route schemas; served at /api/openapi.json (routes/api/index.ts). */
export default fp(
  async (fastify) => {
    await fastify.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'certdesk API',
          version: '0.1.0',
          description: 'Manage the TLS certificate of this server.',
        },
        components: {
          securitySchemes: {
            session: { type: 'apiKey', in: 'cookie', name: 'certdesk_session' },
            bearer: { type: 'http', scheme: 'bearer' },
          },
        },
        security: [{ session: [] }, { bearer: [] }],
      },
      hideUntagged: false,
    });
  },
  { name: 'swagger' },
);

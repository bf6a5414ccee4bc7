import { Health } from '@certdesk/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

const health: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/health',
    { config: { public: true }, schema: { tags: ['health'], security: [], response: { 200: Health } } },
    async () => ({ status: 'ok' as const }),
  );
};

export default health;

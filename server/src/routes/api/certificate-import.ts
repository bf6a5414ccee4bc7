import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

// POST /api/certificates (import) is added by the import issue.
const routes: FastifyPluginAsyncTypebox = async () => {};

export default routes;

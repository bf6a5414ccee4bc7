import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

// Routes for this resource are added by the issue that owns it.
const routes: FastifyPluginAsyncTypebox = async () => {};

export default routes;

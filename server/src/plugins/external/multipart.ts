import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

/** Upload limits: certificate material is small; anything near these limits is not a certificate. */
export const UPLOAD_LIMITS = {
  fileSize: 1024 * 1024, // 1 MiB per file
  files: 20,
  fields: 20,
  parts: 50,
  fieldSize: 64 * 1024,
  headerPairs: 100,
};

const MULTIPART = 'multipart/form-data';

/**
 * App-wide: a multipart body sent to a route that reads no form is accepted and left unread (the body is
 * undefined, so the route's own schema or handler answers), exactly as when @fastify/multipart was
 * registered app-wide. The plugin itself lives only in the upload routes' scopes (`withUploads`): it adds
 * an async onRequest hook (a 'close' listener) and an async onResponse hook (temp-file cleanup) to every
 * route of the scope it is registered in, a promise and a tick each on every request.
 */
export default fp(
  async (fastify) => {
    fastify.addContentTypeParser(MULTIPART, (_request, _payload, done) => done(null));
  },
  { name: 'multipart' },
);

/** The routes of `routes` with @fastify/multipart (parser, `request.parts()`, temp-file cleanup). */
export function withUploads(routes: FastifyPluginAsync): FastifyPluginAsync {
  return async (scope: FastifyInstance) => {
    scope.removeContentTypeParser(MULTIPART);
    await scope.register(multipart, { limits: UPLOAD_LIMITS, throwFileSizeLimit: true });
    await scope.register(routes);
  };
}

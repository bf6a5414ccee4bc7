import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';

/** Immutable for a year: Vite puts a content hash in every file name under assets/. */
export const ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';
/** index.html and the files of public/ keep their names: the browser revalidates them every time. */
export const PAGE_CACHE_CONTROL = 'no-cache';

const COMPRESSED_SIBLING = /\.(?:br|gz)$/;
const DOT_SEGMENT = /(?:^|\/)\./;

/**
 * Serves the built React app; unknown non-API GETs get index.html so client-side routes work on reload.
 * The build writes .br and .gz beside each text file (web/precompress.ts): they are sent as they are to a
 * browser that accepts them, nothing is compressed per request.
 */
export default fp(
  async (fastify) => {
    const root = fastify.config.webDist;
    const hasUi = !!root && fs.existsSync(path.join(root, 'index.html'));
    const assetsDir = root ? `${path.resolve(root, 'assets')}${path.sep}` : '';
    if (hasUi) {
      await fastify.register(fastifyStatic, {
        root,
        wildcard: true,
        index: ['index.html'],
        preCompressed: true,
        cacheControl: false,
        // The .br/.gz siblings are only ever sent for their plain name, with Content-Encoding; dot
        // directories (.vite/, the build manifest) are not served.
        allowedPath: (pathName) => !COMPRESSED_SIBLING.test(pathName) && !DOT_SEGMENT.test(pathName),
        setHeaders(res, filePath) {
          res.header(
            'cache-control',
            path.resolve(filePath).startsWith(assetsDir) ? ASSET_CACHE_CONTROL : PAGE_CACHE_CONTROL,
          );
        },
      });
    } else {
      fastify.log.warn(`web UI not built (${root}/index.html missing): run "npm run build"`);
    }
    fastify.setNotFoundHandler((request, reply) => {
      // A missing hashed asset (an old page after an upgrade) is a 404, not index.html served as script.
      const isPage =
        (request.method === 'GET' || request.method === 'HEAD') &&
        !request.url.startsWith('/api') &&
        !request.url.startsWith('/assets/') &&
        hasUi;
      if (isPage)
        return reply.type('text/html').header('cache-control', PAGE_CACHE_CONTROL).sendFile('index.html');
      return reply.status(404).send({
        code: 'NOT_FOUND',
        message: `Nothing was found at ${request.method} ${request.url.split('?')[0]}.`,
      });
    });
  },
  { name: 'web' },
);

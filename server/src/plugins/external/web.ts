import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';

/** Serves the built React app; unknown non-API GETs get index.html so client-side routes work on reload. */
export default fp(
  async (fastify) => {
    const root = fastify.config.webDist;
    const hasUi = !!root && fs.existsSync(path.join(root, 'index.html'));
    if (hasUi) {
      await fastify.register(fastifyStatic, {
        root,
        wildcard: false,
        index: ['index.html'],
        cacheControl: false,
        setHeaders(res, filePath) {
          res.header(
            'cache-control',
            filePath.includes(`${path.sep}assets${path.sep}`)
              ? 'public, max-age=31536000, immutable'
              : 'no-cache',
          );
        },
      });
    } else {
      fastify.log.warn(`web UI not built (${root}/index.html missing): run "npm run build"`);
    }
    fastify.setNotFoundHandler((request, reply) => {
      const isPage =
        (request.method === 'GET' || request.method === 'HEAD') && !request.url.startsWith('/api') && hasUi;
      if (isPage) return reply.type('text/html').header('cache-control', 'no-cache').sendFile('index.html');
      return reply.status(404).send({
        code: 'NOT_FOUND',
        message: `Nothing was found at ${request.method} ${request.url.split('?')[0]}.`,
      });
    });
  },
  { name: 'web' },
);

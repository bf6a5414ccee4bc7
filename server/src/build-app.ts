import Fastify, { type FastifyServerOptions } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import app, { fastifyOptions } from './app.js';
import type { Config } from './config.js';

/** Builds the application exactly as production does; tests pass the same config shape. */
export async function buildApp(config: Config, overrides: Partial<FastifyServerOptions> = {}) {
  const fastify = Fastify(fastifyOptions(config, overrides)).withTypeProvider<TypeBoxTypeProvider>();
  await fastify.register(app, { config });
  await fastify.ready();
  return fastify;
}

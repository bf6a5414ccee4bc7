import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyServerOptions, type RouteOptions } from 'fastify';
import app, { fastifyOptions } from './app.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import { LazySchemas, lazySchemaOptions, refuseAttachValidation } from './lazy-schemas.js';
import type { DeployPluginOptions } from './plugins/app/deploy.js';

export interface BuildHooks {
  /** Where pino writes (tests capture it to prove secrets never reach the log). */
  logStream?: NodeJS.WritableStream;
  /** Sees every route as it is registered (tests walk them all). */
  onRoute?: (route: RouteOptions) => void;
  /** Time for the HTTPS confirmation window and polling (tests advance a fake clock). */
  clock?: Clock;
  /** Deployment wiring: the SSH transport, and in tests a shorter verify window. */
  deploy?: DeployPluginOptions;
}

/** Builds the application exactly as production does; tests pass the same config shape. */
export async function buildApp(
  config: Config,
  overrides: Partial<FastifyServerOptions> = {},
  hooks: BuildHooks = {},
) {
  const schemas = new LazySchemas();
  const fastify = Fastify({
    ...lazySchemaOptions(schemas),
    ...fastifyOptions(config, overrides, hooks.logStream),
  }).withTypeProvider<TypeBoxTypeProvider>();
  // server.ts compiles what no request has needed yet once it listens; tests compile only what they use.
  fastify.decorate('schemas', schemas);
  // A schema that does not compile makes its route answer 500 (lazy-schemas.ts); with attachValidation
  // Fastify would run the handler unvalidated instead, so no route may ask for it.
  fastify.addHook('onRoute', refuseAttachValidation);
  if (hooks.onRoute) fastify.addHook('onRoute', hooks.onRoute);
  await fastify.register(app, { config, clock: hooks.clock, deploy: hooks.deploy });
  await fastify.ready();
  return fastify;
}

import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import fp from 'fastify-plugin';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import { flushLog, loggerOptions } from './logging.js';
import accounts from './plugins/app/accounts.js';
import acme from './plugins/app/acme.js';
import audit from './plugins/app/audit.js';
import auth from './plugins/app/auth.js';
import certificateLifecycle from './plugins/app/certificate-lifecycle.js';
import db from './plugins/app/db.js';
import deploy, { type DeployPluginOptions } from './plugins/app/deploy.js';
import displaySafety from './plugins/app/display-safety.js';
import errorHandler from './plugins/app/error-handler.js';
import events from './plugins/app/events.js';
import finiteNumbers from './plugins/app/finite-numbers.js';
import firstRun from './plugins/app/first-run.js';
import httpsManager from './plugins/app/https-manager.js';
import notifications from './plugins/app/notifications.js';
import securityHeaders from './plugins/app/security-headers.js';
import settings from './plugins/app/settings.js';
import totp from './plugins/app/totp.js';
import multipart from './plugins/external/multipart.js';
import swagger from './plugins/external/swagger.js';
import web from './plugins/external/web.js';
import acmeChallenge from './routes/acme-challenge.js';
import api from './routes/api/index.js';
import repositories from './store/repositories.js';
import './types.js';

/** Fastify options shared by production and tests, so tests exercise the real configuration. */
export function fastifyOptions(
  config: Config,
  overrides: Partial<FastifyServerOptions> = {},
  logStream?: NodeJS.WritableStream,
): FastifyServerOptions {
  return {
    ...loggerOptions(config.logLevel, logStream),
    bodyLimit: 256 * 1024,
    trustProxy: false,
    requestTimeout: config.requestTimeoutMs,
    // Node enforces requestTimeout only when given at construction, checked every connectionsCheckingInterval.
    ...({ http: { requestTimeout: config.requestTimeoutMs, connectionsCheckingInterval: 1000 } } as object),
    connectionTimeout: 0,
    // Slow-body clients are cut off by requestTimeout; keep-alive sockets are recycled.
    keepAliveTimeout: 10_000,
    routerOptions: { maxParamLength: 200 },
    // Fastify's 10 s default fails the start when a plugin is merely slow, not stuck: a migration over a
    // large inventory, the first admin's password hash on a small board, or a run under valgrind.
    pluginTimeout: 120_000,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
    ...overrides,
  };
}

/** The whole application as one plugin: external plugins, database and repositories, services, then routes. */
async function app(
  fastify: FastifyInstance,
  opts: { config: Config; clock?: Clock; deploy?: DeployPluginOptions },
): Promise<void> {
  fastify.decorate('config', opts.config);
  // One clock for everything that schedules (HTTPS confirm window, renewals, drift checks, reminders, TOTP).
  fastify.decorate('clock', opts.clock ?? systemClock);
  // The asynchronous log destination is written out on close; pino's exit handler writes any later line.
  fastify.addHook('onClose', async () => flushLog(fastify.log));
  await fastify.register(errorHandler);
  await fastify.register(displaySafety);
  await fastify.register(finiteNumbers);
  await fastify.register(securityHeaders);
  await fastify.register(multipart);
  await fastify.register(swagger);
  await fastify.register(events);
  await fastify.register(db);
  await fastify.register(repositories);
  await fastify.register(audit);
  await fastify.register(auth);
  await fastify.register(accounts);
  await fastify.register(totp);
  await fastify.register(settings);
  await fastify.register(firstRun);
  await fastify.register(httpsManager, { clock: opts.clock });
  await fastify.register(certificateLifecycle);
  // Deployment targets; the SSH transport is injected here (opts.deploy.connectSsh).
  await fastify.register(deploy, opts.deploy ?? {});
  await fastify.register(notifications);
  await fastify.register(acme);
  await fastify.register(acmeChallenge);
  await fastify.register(api, { prefix: '/api' });
  await fastify.register(web);
}

// Not encapsulated: server.ts and the tests reach the services (db, httpsManager) on the root instance.
export default fp(app, { name: 'certdesk' });

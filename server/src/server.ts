import { buildApp } from './build-app.js';
import { loadConfig } from './config.js';

/** Entry point: listen (through the HTTPS manager), and shut down gracefully on SIGINT/SIGTERM. Everything else lives in app.ts. */
const config = loadConfig();
const app = await buildApp(config);

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  try {
    await app.close();
    process.exit(0);
  } catch (err) {
    app.log.error({ err }, 'error during shutdown');
    process.exit(1);
  }
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

try {
  // The HTTPS manager owns the listeners: HTTP, and HTTPS in the last committed mode.
  await app.httpsManager.start();
  // ACME orders a restart interrupted continue; then renewals run on their own timer.
  app.acmeOrderService.resume();
  app.renewalScheduler.start();
  const { http, https } = app.httpsManager.ports;
  app.log.info(
    `certdesk listening on http://${config.host}:${http}${https ? ` and https://${config.host}:${https}` : ''}`,
  );
  // Answering first, compiling after: what no request has needed yet is compiled in short slices between
  // requests, so later first visits of a page do not pay for it.
  void app.schemas.compileRemaining().then((failed) => {
    for (const { route, error } of failed)
      app.log.error({ err: error, route }, 'a route schema does not compile; that route answers 500');
  });
} catch (err) {
  app.log.error({ err }, 'could not start');
  process.exit(1);
}

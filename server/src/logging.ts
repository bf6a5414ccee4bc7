import { type FastifyReply, type FastifyRequest, type FastifyServerOptions, LogController } from 'fastify';
import pino from 'pino';

/**
 * Secrets that must never reach the log, as explicit paths: a wildcard ("*.password") makes pino walk
 * every key of every logged object, on every line; explicit paths are a few property checks. The access
 * line below logs no headers and no body, so these guard the rare lines that log an object or an error.
 */
const SECRET_KEYS = [
  'password',
  'currentPassword',
  'newPassword',
  'passphrase',
  'pfxPassword',
  'token',
  'privateKey',
  'keyPem',
];
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  ...SECRET_KEYS,
  ...['body', 'err', 'details', 'input'].flatMap((parent) => SECRET_KEYS.map((key) => `${parent}.${key}`)),
];

/**
 * One access line per request, written when the response has finished (Fastify writes two by default,
 * "incoming request" and "request completed", each with nested serialised objects). The line is flat:
 * no serializer runs, and nothing in it can carry a credential (no headers, no query string values
 * beyond the URL itself, which never holds a secret in this API).
 */
export class AccessLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const line = {
      method: request.method,
      url: request.url,
      statusCode: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      remoteAddress: request.ip,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request');
  }
}

/**
 * Where the production log goes: standard output through sonic-boom, without blocking the event loop (a
 * synchronous write per line was a third of the CPU of a small request) and in batches: lines wait in
 * memory until 4 KiB have gathered or 250 ms have passed (one write per line, even asynchronous, cost a
 * thread-pool round trip each). The app flushes on close (flushLog) and pino writes what is left
 * synchronously when the process exits; only a kill -9 loses the last quarter second of lines.
 */
function stdoutDestination(): pino.DestinationStream {
  return pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 250 });
}

/** Fastify's logger options for a level; tests pass their own stream to read what was logged. */
export function loggerOptions(
  level: string,
  stream?: NodeJS.WritableStream,
): Pick<FastifyServerOptions, 'logger' | 'logController'> {
  return {
    logger: {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      ...(stream ? { stream } : level === 'silent' ? {} : { stream: stdoutDestination() }),
    },
    logController: new AccessLog(),
  };
}

/** Writes out what the asynchronous destination still holds (on close, before the process exits). */
export function flushLog(log: object): Promise<void> {
  const { flush } = log as { flush?: (cb: () => void) => void };
  return new Promise((resolve) => {
    if (typeof flush !== 'function') return resolve();
    try {
      flush.call(log, () => resolve());
    } catch {
      resolve(); // a destination that is not ready or already closed has nothing to flush
    }
  });
}

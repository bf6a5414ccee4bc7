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
 * "incoming request" and "request completed", each with nested serialised objects). The line is flat and
 * built here as text in the shape pino writes (level, time, pid, hostname, reqId, fields, msg): pino's
 * generic path (a redaction pass, a serializer lookup and a JSON.stringify per field, a child logger per
 * request) cost more than the rest of a small request's handling. Nothing in the line can carry a
 * credential: no headers, no body; the URL never holds a secret in this API.
 */
export class AccessLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const ms = Math.round(reply.elapsedTime * 10) / 10;
    if (error) {
      const line = { method: request.method, url: request.url, statusCode: reply.statusCode, ms };
      reply.log.error({ ...line, err: error, remoteAddress: request.ip }, 'request errored');
      return;
    }
    const log = request.server.log as pino.Logger;
    if (!log.isLevelEnabled('info')) return;
    const stream = (log as unknown as Record<symbol, pino.DestinationStream>)[pino.symbols.streamSym];
    const bindings = (log as unknown as Record<symbol, string>)[pino.symbols.chindingsSym];
    stream?.write(
      `{"level":30,"time":${Date.now()}${bindings},"reqId":${JSON.stringify(request.id)},"method":${JSON.stringify(request.method)},"url":${JSON.stringify(request.url)},"statusCode":${reply.statusCode},"ms":${ms},"remoteAddress":${JSON.stringify(request.ip)},"msg":"request"}\n`,
    );
  }
}

/**
 * The request's logger (request.log), made only when something logs through it: pino's child() serialises
 * the request id binding on every request, and almost no request logs anything but its access line.
 * Calls below the logger's level return without making it. A route with its own log level or serializers
 * gets a real child at once (lazyChildLogger).
 */
class LazyChildLogger {
  private made: pino.Logger | undefined;

  constructor(
    private readonly parent: pino.Logger,
    private readonly bindingsGiven: pino.Bindings,
  ) {}

  private real(): pino.Logger {
    this.made ??= this.parent.child(this.bindingsGiven);
    return this.made;
  }

  get level(): string {
    return (this.made ?? this.parent).level;
  }

  set level(value: string) {
    this.real().level = value;
  }

  isLevelEnabled(level: string): boolean {
    return (this.made ?? this.parent).isLevelEnabled(level);
  }

  child(bindings: pino.Bindings, options?: pino.ChildLoggerOptions): pino.Logger {
    return this.real().child(bindings, options);
  }

  bindings(): pino.Bindings {
    return this.real().bindings();
  }

  flush(cb?: (err?: Error) => void): void {
    this.parent.flush(cb);
  }

  silent(): void {}

  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }

  error(...args: unknown[]): void {
    this.write('error', args);
  }

  warn(...args: unknown[]): void {
    this.write('warn', args);
  }

  info(...args: unknown[]): void {
    this.write('info', args);
  }

  debug(...args: unknown[]): void {
    this.write('debug', args);
  }

  trace(...args: unknown[]): void {
    this.write('trace', args);
  }

  private write(level: pino.Level, args: unknown[]): void {
    if (!this.isLevelEnabled(level)) return;
    (this.real()[level] as (...a: unknown[]) => void)(...args);
  }
}

export function lazyChildLogger(
  logger: pino.Logger,
  bindings: pino.Bindings,
  options: pino.ChildLoggerOptions,
): pino.Logger {
  for (const _ in options) return logger.child(bindings, options);
  return new LazyChildLogger(logger, bindings) as unknown as pino.Logger;
}

/**
 * Lines gathered in an array and handed to the file writer in pieces of ≥ 64 KiB. sonic-boom's own batching
 * appends each line to one growing string and measures that string's byte length on every write
 * (flattening it each time): ~4 µs a line, more than pino spends formatting it. Here a line costs a push;
 * the join and the byte count happen once per piece. Same guarantees: a piece waits at most until the
 * next 250 ms tick, `flush(cb)` / `flushSync()` write out everything, and the lines still here when the
 * process exits are handed over before pino's exit handler writes the writer out synchronously.
 */
export class LineBatcher {
  private lines: string[] = [];
  private chars = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly sink: pino.DestinationStream & {
      flush(cb?: (err?: Error) => void): void;
      flushSync(): void;
    },
    private readonly minLength = 64 * 1024,
    periodicFlushMs = 250,
  ) {
    this.timer = setInterval(() => {
      if (this.lines.length === 0) return;
      this.drain();
      this.sink.flush();
    }, periodicFlushMs);
    this.timer.unref();
    // Prepended: they run before pino's own exit handler, which then writes the writer out.
    process.prependListener('beforeExit', this.drainOnExit);
    process.prependListener('exit', this.drainOnExit);
  }

  write(line: string): boolean {
    this.lines.push(line);
    this.chars += line.length; // a threshold, not a byte count: characters are enough to decide
    if (this.chars >= this.minLength) this.drain();
    return true;
  }

  flush(cb?: (err?: Error) => void): void {
    this.drain();
    this.sink.flush(cb);
  }

  flushSync(): void {
    this.drain();
    this.sink.flushSync();
  }

  private readonly drainOnExit = () => this.drain();

  private drain(): void {
    if (this.lines.length === 0) return;
    const piece = this.lines.length === 1 ? (this.lines[0] as string) : this.lines.join('');
    this.lines = [];
    this.chars = 0;
    this.sink.write(piece);
  }
}

/**
 * Where the production log goes: standard output through sonic-boom, without blocking the event loop (a
 * synchronous write per line was a third of the CPU of a small request) and in batches of ≥ 64 KiB
 * (LineBatcher; one write per line, even asynchronous, cost a thread-pool round trip each). The app
 * flushes on close (flushLog) and pino writes what is left synchronously when the process exits; only a
 * kill -9 loses the last quarter second of lines.
 */
function stdoutDestination(): pino.DestinationStream {
  return new LineBatcher(
    pino.destination({ dest: 1, sync: false, minLength: 4096, maxWrite: 64 * 1024, periodicFlush: 250 }),
  );
}

/** Fastify's logger options for a level; tests pass their own stream to read what was logged. */
export function loggerOptions(
  level: string,
  stream?: NodeJS.WritableStream,
): Pick<FastifyServerOptions, 'logger' | 'logController' | 'childLoggerFactory'> {
  return {
    logger: {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      ...(stream ? { stream } : level === 'silent' ? {} : { stream: stdoutDestination() }),
    },
    logController: new AccessLog(),
    childLoggerFactory: (logger, bindings, options) =>
      lazyChildLogger(logger as pino.Logger, bindings, options as pino.ChildLoggerOptions),
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

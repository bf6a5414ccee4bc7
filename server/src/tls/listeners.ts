import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import type stream from 'node:stream';
import tls from 'node:tls';
import { AppError } from '../errors.js';
import { materialDigest } from './material.js';
import { type ServingMaterial, secureContextOptions } from './options.js';

export type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** What the listeners should look like: an HTTP port, and optionally HTTPS with a default + SNI certificates. */
export interface ListenerPlan {
  httpPort: number;
  https: null | { port: number; default: ServingMaterial; sni: Map<string, ServingMaterial> };
}

interface Bound<S extends net.Server> {
  server: S;
  requestedPort: number;
  port: number;
}

export interface ServerTimeouts {
  keepAliveTimeout: number;
  requestTimeout: number;
  handshakeTimeout: number;
  maxConnections: number;
}

/**
 * Owns the HTTP and HTTPS servers that carry the one Fastify app. `apply` opens whatever is new first and
 * only then retires what it replaces, so a port that cannot be bound leaves everything as it was.
 * The HTTPS certificate is swapped in place with `setSecureContext` (open connections keep theirs).
 */
export class Listeners {
  http: Bound<http.Server> | null = null;
  https: Bound<https.Server> | null = null;
  private defaultDigest: string | null = null;
  private sniContexts = new Map<string, tls.SecureContext>();
  private sniDigests = new Map<string, string>();
  /**
   * Session ticket keys, made once per process and given to every context (default, swapped, SNI) so a
   * client resumes its session (an abbreviated handshake, no private-key operation) across certificate
   * swaps and port changes. Without them each new context draws its own keys and every client pays a
   * full handshake after a swap. Held in memory only: a restart invalidates every ticket.
   */
  private readonly ticketKeys = crypto.randomBytes(48);

  constructor(
    private readonly handler: RequestHandler,
    private readonly host: string,
    private readonly timeouts: ServerTimeouts,
  ) {}

  get httpPort(): number | null {
    return this.http?.port ?? null;
  }

  get httpsPort(): number | null {
    return this.https?.port ?? null;
  }

  async apply(plan: ListenerPlan): Promise<void> {
    const sni = this.buildSni(plan.https?.sni ?? new Map());
    const opened: Bound<net.Server>[] = [];
    try {
      let nextHttp = this.http;
      if (!nextHttp || nextHttp.requestedPort !== plan.httpPort) {
        nextHttp = await this.open(
          this.configure(http.createServer(this.serverOptions(), this.handler)),
          plan.httpPort,
        );
        opened.push(nextHttp);
      }
      let nextHttps = this.https;
      if (plan.https && (!nextHttps || nextHttps.requestedPort !== plan.https.port)) {
        const server = https.createServer(
          {
            ...this.serverOptions(),
            ...this.contextOptions(plan.https.default),
            handshakeTimeout: this.timeouts.handshakeTimeout,
            SNICallback: (name, cb) => cb(null, this.lookupSni(name)),
          },
          this.handler,
        );
        server.on('tlsClientError', () => {}); // scanners and aborted handshakes are not server errors
        nextHttps = await this.open(this.configure(server), plan.https.port);
        opened.push(nextHttps);
        this.defaultDigest = materialDigest(plan.https.default);
      } else if (plan.https && nextHttps) {
        const digest = materialDigest(plan.https.default);
        if (digest !== this.defaultDigest) {
          nextHttps.server.setSecureContext(this.contextOptions(plan.https.default));
          this.defaultDigest = digest;
        }
      } else {
        nextHttps = null;
      }
      const retired = [this.http, this.https].filter((b) => b && b !== nextHttp && b !== nextHttps);
      this.http = nextHttp;
      this.https = nextHttps;
      this.sniContexts = sni.contexts;
      this.sniDigests = sni.digests;
      for (const b of retired) void closeGracefully(b!.server);
    } catch (err) {
      for (const b of opened) void closeGracefully(b.server);
      throw err;
    }
  }

  /** Checks that a port can be bound right now, by binding it (the only honest test). */
  async assertBindable(port: number): Promise<void> {
    if (port === 0) return;
    if (port === this.http?.requestedPort || port === this.https?.requestedPort) return;
    const probe = http.createServer();
    await this.open(probe, port);
    await closeGracefully(probe);
  }

  async close(): Promise<void> {
    const all = [this.http, this.https].filter((b) => b !== null);
    this.http = null;
    this.https = null;
    await Promise.all(all.map((b) => closeGracefully(b.server)));
  }

  private lookupSni(servername: string): tls.SecureContext | undefined {
    const name = servername.toLowerCase();
    const exact = this.sniContexts.get(name);
    if (exact) return exact;
    const dot = name.indexOf('.');
    return dot > 0 ? this.sniContexts.get(`*${name.slice(dot)}`) : undefined;
  }

  private buildSni(entries: Map<string, ServingMaterial>) {
    const contexts = new Map<string, tls.SecureContext>();
    const digests = new Map<string, string>();
    for (const [host, material] of entries) {
      const digest = materialDigest(material);
      const reuse = this.sniDigests.get(host) === digest ? this.sniContexts.get(host) : undefined;
      // Same hardened options as the default context: SNI must not be a way around them.
      contexts.set(host, reuse ?? tls.createSecureContext(this.contextOptions(material)));
      digests.set(host, digest);
    }
    return { contexts, digests };
  }

  private contextOptions(material: ServingMaterial): tls.SecureContextOptions {
    return { ...secureContextOptions(material), ticketKeys: this.ticketKeys };
  }

  /** Node enforces requestTimeout only when it is given at construction (checked every second here). */
  private serverOptions(): http.ServerOptions {
    return {
      requestTimeout: this.timeouts.requestTimeout,
      keepAliveTimeout: this.timeouts.keepAliveTimeout,
      connectionsCheckingInterval: 1000,
    };
  }

  private configure<S extends http.Server>(server: S): S {
    server.keepAliveTimeout = this.timeouts.keepAliveTimeout;
    server.requestTimeout = this.timeouts.requestTimeout;
    server.maxConnections = this.timeouts.maxConnections;
    server.on('clientError', answerClientError);
    return server;
  }

  private open<S extends net.Server>(server: S, port: number): Promise<Bound<S>> {
    return new Promise((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => {
        server.off('listening', onListening);
        if (err.code === 'EADDRINUSE') {
          reject(
            new AppError(
              'PORT_IN_USE',
              `Port ${port} is already in use on ${this.host}. Choose another port.`,
              { port },
            ),
          );
        } else if (err.code === 'EACCES') {
          reject(
            new AppError(
              'PORT_NOT_PERMITTED',
              `This process may not listen on port ${port}. Choose a port above 1023.`,
              { port },
            ),
          );
        } else {
          reject(
            new AppError('PORT_UNAVAILABLE', `Port ${port} cannot be used: ${err.message}.`, {
              port,
            }),
          );
        }
      };
      const onListening = () => {
        server.off('error', onError);
        const address = server.address();
        resolve({
          server,
          requestedPort: port,
          port: typeof address === 'object' && address ? address.port : port,
        });
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen({ host: this.host, port });
    });
  }
}

/**
 * Only an HTTP parse error on an established connection deserves a 400; a TLS handshake that failed or
 * timed out has no channel to answer on, and `end()` on it never completes: the socket would sit in
 * CLOSE-WAIT for ever and enough of them exhaust the descriptors. Those are destroyed at once, and a 400
 * that the peer does not read is destroyed shortly after.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: stream.Duplex): void {
  const httpParseError = typeof err.code === 'string' && err.code.startsWith('HPE_');
  const handshakeDone =
    !(socket instanceof tls.TLSSocket) || (socket.encrypted === true && !!socket.getProtocol?.());
  if (!httpParseError || !handshakeDone || !socket.writable) {
    socket.destroy();
    return;
  }
  socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  setTimeout(() => socket.destroy(), 1_000).unref();
}

/** Stops accepting, lets in-flight requests finish, drops idle keep-alive sockets, forces the rest after 5 s. */
export function closeGracefully(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    const force = setTimeout(() => (server as http.Server).closeAllConnections?.(), 5_000);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    (server as http.Server).closeIdleConnections?.();
  });
}

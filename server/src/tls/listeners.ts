import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type stream from 'node:stream';
import tls from 'node:tls';
import { AppError } from '../errors.js';
import { readServerName } from './client-hello.js';
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
 *
 * HTTPS: the port is held by a plain TCP server that reads the name the client asks for (SNI) and hands
 * the connection to one TLS server per certificate: the default one, or the one bound to that name.
 * Each TLS server holds exactly one certificate, so RSA and ECDSA certificates can be bound side by side
 * (see client-hello.ts for why Node's SNICallback cannot). A changed certificate is swapped in place with
 * `setSecureContext`; open connections keep theirs.
 */
export class Listeners {
  http: Bound<http.Server> | null = null;
  /** The TCP server on the HTTPS port (it counts and caps the connections). */
  https: Bound<net.Server> | null = null;
  private defaultTls: https.Server | null = null;
  private defaultDigest: string | null = null;
  /** Host name (or "*.domain") → the TLS server of its certificate. */
  private sniRoutes = new Map<string, https.Server>();
  /** One TLS server per distinct bound certificate, by material digest. */
  private sniServers = new Map<string, https.Server>();
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
    const created: https.Server[] = [...sni.created];
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
      let nextDefault = this.defaultTls;
      if (plan.https && (!nextHttps || nextHttps.requestedPort !== plan.https.port)) {
        nextDefault = this.tlsServer(plan.https.default);
        created.push(nextDefault);
        // A plain net.Server leaves Nagle on (http.Server turns it off only for sockets it accepts itself):
        // the tail of an answer written in several pieces (a static file) waited for the client's ACK.
        const front = net.createServer({ noDelay: true }, (socket) => this.dispatch(socket));
        front.maxConnections = this.timeouts.maxConnections;
        nextHttps = await this.open(front, plan.https.port);
        opened.push(nextHttps);
        this.defaultDigest = materialDigest(plan.https.default);
      } else if (plan.https && nextHttps && nextDefault) {
        const digest = materialDigest(plan.https.default);
        if (digest !== this.defaultDigest) {
          nextDefault.setSecureContext(this.contextOptions(plan.https.default));
          this.defaultDigest = digest;
        }
      } else {
        nextHttps = null;
        nextDefault = null;
      }
      const retired = [this.http, this.https].filter((b) => b && b !== nextHttp && b !== nextHttps);
      const retiredTls = [this.defaultTls, ...this.sniServers.values()].filter(
        (server): server is https.Server =>
          server !== null && server !== nextDefault && ![...sni.servers.values()].includes(server),
      );
      this.http = nextHttp;
      this.https = nextHttps;
      this.defaultTls = nextDefault;
      this.sniRoutes = sni.routes;
      this.sniServers = sni.servers;
      for (const b of retired) void closeGracefully(b!.server);
      for (const server of retiredTls) void retireTlsServer(server);
    } catch (err) {
      for (const b of opened) void closeGracefully(b.server);
      for (const server of created) void retireTlsServer(server);
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
    const tlsServers = [this.defaultTls, ...this.sniServers.values()].filter((t) => t !== null);
    this.http = null;
    this.https = null;
    this.defaultTls = null;
    this.sniRoutes = new Map();
    this.sniServers = new Map();
    // The TLS servers first: their idle keep-alive connections would otherwise hold the port's close.
    for (const server of tlsServers) retireTlsServer(server);
    await Promise.all(all.map((b) => closeGracefully(b.server)));
  }

  /**
   * A new connection on the HTTPS port: to the TLS server of the name it asks for, else the default.
   * With no SNI binding every name goes to the default, so the ClientHello is not read at all: the
   * connection goes straight to the default TLS server, whose handshake timeout then applies, and costs
   * what a plain Node TLS server costs (no JS read, buffer, timer or listeners of its own).
   */
  private dispatch(socket: net.Socket): void {
    if (this.sniRoutes.size === 0) {
      this.route(socket, null);
      return;
    }
    readServerName(socket, this.timeouts.handshakeTimeout, this.routeByName);
  }

  private readonly routeByName = (socket: net.Socket, serverName: string | null): void =>
    this.route(socket, serverName);

  private route(socket: net.Socket, serverName: string | null): void {
    const target = (serverName ? this.lookupSni(serverName) : undefined) ?? this.defaultTls;
    if (!target) {
      socket.destroy();
      return;
    }
    target.emit('connection', socket);
  }

  private lookupSni(name: string): https.Server | undefined {
    const exact = this.sniRoutes.get(name);
    if (exact) return exact;
    const dot = name.indexOf('.');
    return dot > 0 ? this.sniRoutes.get(`*${name.slice(dot)}`) : undefined;
  }

  /** The TLS servers of the bindings: kept when their certificate did not change, new ones otherwise. */
  private buildSni(entries: Map<string, ServingMaterial>) {
    const routes = new Map<string, https.Server>();
    const servers = new Map<string, https.Server>();
    const created: https.Server[] = [];
    for (const [host, material] of entries) {
      const digest = materialDigest(material);
      let server = servers.get(digest) ?? this.sniServers.get(digest);
      if (!server) {
        server = this.tlsServer(material);
        created.push(server);
      }
      servers.set(digest, server);
      routes.set(host, server);
    }
    return { routes, servers, created };
  }

  /**
   * A TLS server for one certificate, with the same hardened options as every other (a binding must not
   * be a way around them). It never listens: the TCP server on the HTTPS port hands it connections.
   */
  private tlsServer(material: ServingMaterial): https.Server {
    const server = https.createServer(
      {
        ...this.serverOptions(),
        ...this.contextOptions(material),
        handshakeTimeout: this.timeouts.handshakeTimeout,
      },
      this.handler,
    );
    server.on('tlsClientError', () => {}); // scanners and aborted handshakes are not server errors
    this.configure(server);
    // Node starts the request and header timeouts of an HTTP server when it begins listening; this one
    // never listens itself, so they are started here (without them a slow request would be let be).
    server.emit('listening');
    return server;
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

/**
 * Retires a TLS server that never listened: Node's `close` drops its idle keep-alive connections and
 * stops its request-timeout timer at once; requests in flight may finish, and what is still open after
 * 5 s is closed. (The TCP server on the port, closed on its own, waits for every connection it accepted.)
 */
function retireTlsServer(server: https.Server): void {
  server.close(() => undefined); // not listening: it calls back with ERR_SERVER_NOT_RUNNING, as expected
  const force = setTimeout(() => server.closeAllConnections(), 5_000);
  force.unref();
}

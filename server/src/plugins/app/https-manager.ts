import type { TLSSocket } from 'node:tls';
import type {
  ProbeResult,
  ServerSettingsUpdate,
  ServerSettings as ServerSettingsView,
} from '@certdesk/shared';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../../errors.js';
import {
  defaultServerSettings,
  readServerSettings,
  type ServerSettings,
  writeServerSettings,
} from '../../store/server-settings.js';
import { Listeners } from '../../tls/listeners.js';
import { HSTS_VALUE } from '../../tls/options.js';
import {
  clearPending,
  readLastRevert,
  readPending,
  type StoredPendingChange,
  settingsFingerprint,
  writeLastRevert,
  writePending,
} from '../../tls/pending.js';
import { assertCoversServerNames, buildPlan, type Stores } from '../../tls/plan.js';
import { probeServerNames } from '../../tls/probe.js';
import { changedFields, mergeSettings, needsConfirmation } from '../../tls/settings-change.js';
import { pendingChangeView, redirectLocation } from '../../tls/view.js';

const POLL_MS = 2_000;

/**
 * Owns the HTTP and HTTPS listeners (issue "HTTPS mode"). The committed settings live in kv
 * `server_settings`; a change that could lock the admin out is applied live but only committed when
 * confirmed over the new listener, and reverts by itself otherwise. Other features call `reload()`
 * after they change the active certificate or the bindings; an outside writer (the CLI) is noticed
 * by polling the rows.
 */
export class HttpsManager {
  readonly listeners: Listeners;
  private started = false;
  private timer: NodeJS.Timeout | null = null;
  private poller: NodeJS.Timeout | null = null;
  private fingerprint = '';
  private committedCache: ServerSettings;
  private pendingCache: StoredPendingChange | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  lastProbe: ProbeResult | null = null;

  constructor(
    private readonly fastify: FastifyInstance,
    private readonly stores: Stores,
    private readonly log: FastifyBaseLogger,
  ) {
    const { initialConfig, config } = fastify;
    this.listeners = new Listeners((req, res) => fastify.routing(req, res), config.host, {
      keepAliveTimeout: initialConfig.keepAliveTimeout ?? 10_000,
      requestTimeout: (initialConfig as { requestTimeout?: number }).requestTimeout ?? 60_000,
      handshakeTimeout: config.tlsHandshakeTimeoutMs,
      maxConnections: config.maxConnections,
    });
    this.committedCache = this.readCommitted();
  }

  /** Bound ports, for the log line at start and for tests that listen on port 0. */
  get ports(): { http: number | null; https: number | null } {
    return { http: this.listeners.httpPort, https: this.listeners.httpsPort };
  }

  committed(): ServerSettings {
    return this.committedCache;
  }

  pending(): StoredPendingChange | null {
    return this.pendingCache;
  }

  /** HTTPS is on and confirmed: HTTP may redirect and HTTPS answers carry HSTS. */
  get httpsConfirmed(): boolean {
    return this.committedCache.httpsEnabled && this.pendingCache === null;
  }

  /**
   * Opens the listeners in the last committed mode. A change that was pending when the server stopped
   * was never confirmed, so it is dropped (and the UI says so).
   */
  async start(): Promise<void> {
    await this.serial(async () => {
      const stale = readPending(this.stores.db);
      if (stale) {
        clearPending(this.stores.db);
        this.recordRevert(
          'The server restarted before the change was confirmed, so it was undone.',
          stale.changes,
        );
      }
      this.refreshCaches();
      this.started = true;
      const committed = this.committedCache;
      try {
        await this.listeners.apply(buildPlan(this.stores, committed));
      } catch (err) {
        if (!(err instanceof AppError) || !committed.httpsEnabled || err.code.startsWith('PORT_')) throw err;
        // The committed certificate cannot be served any more (key gone, expired): stay reachable over HTTP.
        this.log.error({ code: err.code }, `HTTPS not started: ${err.message} Serving HTTP only.`);
        await this.listeners.apply({ httpPort: committed.httpPort, https: null });
      }
      this.fingerprint = settingsFingerprint(this.stores.db);
      this.poller = setInterval(() => void this.poll(), POLL_MS);
      this.poller.unref();
    });
    if (this.listeners.httpsPort !== null) await this.probe().catch(() => undefined);
  }

  /** Re-reads settings and bindings and serves them; throws a 422 (old certificate kept) when a key does not load. */
  async reload(): Promise<void> {
    await this.serial(() => this.applyFromDb());
  }

  async update(update: ServerSettingsUpdate, request: FastifyRequest): Promise<{ status: 200 | 202 }> {
    const result = await this.serial(async () => {
      if (this.readPendingFresh()) {
        throw new AppError(
          'PENDING_CHANGE_EXISTS',
          'Another change is waiting for confirmation. Confirm or cancel it first.',
          {
            status: 409,
          },
        );
      }
      const current = this.readCommitted();
      const next = mergeSettings(current, update);
      if (
        !next.httpsEnabled &&
        next.activeCertificateId !== null &&
        !this.stores.certificates.get(next.activeCertificateId)
      ) {
        throw new AppError(
          'CERTIFICATE_NOT_FOUND',
          `There is no certificate with id ${next.activeCertificateId}.`,
          {
            status: 422,
            field: 'activeCertificateId',
          },
        );
      }
      const plan = buildPlan(this.stores, next);
      assertCoversServerNames(this.stores, next);
      const changes = changedFields(current, next);
      if (changes.length === 0) return { status: 200 as const, probe: false };
      if (this.started) await this.listeners.apply(plan);
      if (needsConfirmation(current, next)) {
        const now = Date.now();
        const pending: StoredPendingChange = {
          createdAt: new Date(now).toISOString(),
          expiresAt: new Date(now + this.fastify.config.httpsConfirmSeconds * 1000).toISOString(),
          settings: next,
          changes,
        };
        writePending(this.stores.db, pending);
        this.fastify.audit.record(request, {
          action: 'settings.server.propose',
          details: { changes, expiresAt: pending.expiresAt },
        });
        this.armTimer(pending);
        this.afterWrite();
        return { status: 202 as const, probe: next.httpsEnabled };
      }
      writeServerSettings(this.stores.db, next);
      this.fastify.audit.record(request, { action: 'settings.server.update', details: { changes } });
      this.afterWrite();
      return {
        status: 200 as const,
        probe: next.httpsEnabled && changes.some((c) => c !== 'redirectHttp' && c !== 'aiaAllowPrivate'),
      };
    });
    if (result.probe && this.listeners.httpsPort !== null) await this.probe().catch(() => undefined);
    return { status: result.status };
  }

  /** Commits the pending change; only valid over the listener the change introduced. */
  async confirm(request: FastifyRequest): Promise<void> {
    await this.serial(async () => {
      const pending = this.readPendingFresh();
      if (!pending)
        throw new AppError('NO_PENDING_CHANGE', 'There is no change waiting for confirmation.', {
          status: 409,
        });
      const over = pending.settings.httpsEnabled ? 'https' : 'http';
      const socket = request.raw.socket as TLSSocket;
      const encrypted = socket.encrypted === true;
      const port = over === 'https' ? this.listeners.httpsPort : this.listeners.httpPort;
      if (this.started && (encrypted !== (over === 'https') || socket.localPort !== port)) {
        throw new AppError(
          'CONFIRM_WRONG_LISTENER',
          `Confirm from the new address (${over}://…:${port ?? pending.settings.httpsPort}/): a confirmation that arrives there proves it works.`,
          { status: 409, confirmOver: over, port },
        );
      }
      this.refuseStaleCertificate(socket, pending.settings.activeCertificateId);
      this.disarmTimer();
      this.stores.db.transaction(() => {
        writeServerSettings(this.stores.db, pending.settings);
        clearPending(this.stores.db);
      })();
      this.fastify.audit.record(request, {
        action: 'settings.server.confirm',
        details: { changes: pending.changes },
      });
      this.afterWrite();
    });
    if (this.listeners.httpsPort !== null) await this.probe().catch(() => undefined);
  }

  /**
   * A keep-alive connection opened before a certificate swap still carries the previous certificate: a
   * confirmation over it would prove nothing about the new one, which the browser may yet reject.
   */
  private refuseStaleCertificate(socket: TLSSocket, pendingId: number | null): void {
    const previousId = this.committedCache.activeCertificateId;
    if (!socket.encrypted || pendingId === null || pendingId === previousId || previousId === null) return;
    const served = socket.getCertificate();
    const previous = this.fastify.certificates.get(previousId);
    if (!served || !('fingerprint256' in served) || !previous) return;
    if (served.fingerprint256.replace(/:/g, '') === previous.fingerprint_sha256) {
      throw new AppError(
        'CONFIRM_STALE_CONNECTION',
        'This connection was opened before the switch and still shows the previous certificate. Wait ten seconds (the browser then opens a new connection) and confirm again.',
        { status: 409 },
      );
    }
  }

  /** Undoes the pending change now (the admin changed their mind, or the timer ran out). */
  async cancel(request: FastifyRequest | null, reason: string): Promise<boolean> {
    return this.serial(async () => {
      const pending = this.readPendingFresh();
      if (!pending) return false;
      this.disarmTimer();
      this.stores.db.transaction(() => {
        clearPending(this.stores.db);
        this.recordRevert(reason, pending.changes);
        this.fastify.audit.record(request, {
          action: 'settings.server.revert',
          actor: request ? undefined : 'system',
          details: { changes: pending.changes, reason },
        });
      })();
      this.refreshCaches();
      await this.applyCommittedOrHttp();
      this.afterWrite();
      return true;
    });
  }

  /** A real handshake to each name clients use (and each SNI binding), as they would make it. */
  async probe(): Promise<ProbeResult> {
    const port = this.listeners.httpsPort;
    const at = new Date().toISOString();
    if (port === null) {
      this.lastProbe = { at, port: null, results: [] };
      return this.lastProbe;
    }
    const effective = this.pendingCache?.settings ?? this.committedCache;
    const results = await probeServerNames(
      this.stores.db,
      this.fastify.config.host,
      port,
      effective.serverNames,
    );
    this.lastProbe = { at, port, results };
    return this.lastProbe;
  }

  /** The GET /api/settings/server answer. */
  view(request: FastifyRequest): ServerSettingsView {
    const committed = this.committedCache;
    const pending = this.pendingCache;
    const revert = readLastRevert(this.stores.db);
    const pendingChange = pending ? pendingChangeView(pending, this.ports, request.hostname) : null;
    return {
      ...committed,
      pendingChange,
      lastRevert: revert,
      httpsConfirmed: this.httpsConfirmed,
      listeners: { http: this.listeners.httpPort, https: this.listeners.httpsPort },
      confirmSeconds: this.fastify.config.httpsConfirmSeconds,
      lastProbe: this.lastProbe,
    };
  }

  /** Where an HTTP request should go instead, or null to serve it here. */
  redirectTarget(request: FastifyRequest): string | null {
    const httpsPort = this.listeners.httpsPort;
    if (!this.httpsConfirmed || !this.committedCache.redirectHttp || httpsPort === null) return null;
    if ((request.raw.socket as TLSSocket).encrypted) return null;
    return redirectLocation(request.headers.host ?? this.fastify.config.host, httpsPort, request.url);
  }

  hstsFor(request: FastifyRequest): string | null {
    return this.httpsConfirmed && (request.raw.socket as TLSSocket).encrypted ? HSTS_VALUE : null;
  }

  async close(): Promise<void> {
    this.disarmTimer();
    if (this.poller) clearInterval(this.poller);
    this.poller = null;
    this.started = false;
    await this.listeners.close();
  }

  // --- internals -------------------------------------------------------------------------------

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private readCommitted(): ServerSettings {
    const { httpPort, httpsPort } = this.fastify.config;
    return readServerSettings(this.stores.db, defaultServerSettings(httpPort, httpsPort));
  }

  private readPendingFresh(): StoredPendingChange | null {
    this.pendingCache = readPending(this.stores.db);
    return this.pendingCache;
  }

  private refreshCaches(): void {
    this.committedCache = this.readCommitted();
    this.pendingCache = readPending(this.stores.db);
  }

  private afterWrite(): void {
    this.refreshCaches();
    this.fingerprint = settingsFingerprint(this.stores.db);
  }

  private recordRevert(reason: string, changes: string[]): void {
    writeLastRevert(this.stores.db, { at: new Date().toISOString(), reason, changes });
  }

  private async applyFromDb(): Promise<void> {
    this.refreshCaches();
    const pending = this.pendingCache;
    if (pending) this.armTimer(pending);
    else this.disarmTimer();
    const plan = buildPlan(this.stores, pending?.settings ?? this.committedCache);
    if (this.started) await this.listeners.apply(plan);
    this.fingerprint = settingsFingerprint(this.stores.db);
  }

  private async applyCommittedOrHttp(): Promise<void> {
    if (!this.started) return;
    try {
      await this.listeners.apply(buildPlan(this.stores, this.committedCache));
    } catch (err) {
      this.log.error({ err }, 'the committed HTTPS settings cannot be served; serving HTTP only');
      await this.listeners.apply({ httpPort: this.committedCache.httpPort, https: null });
    }
  }

  private armTimer(pending: StoredPendingChange): void {
    this.disarmTimer();
    const ms = Math.max(0, Date.parse(pending.expiresAt) - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      const seconds = this.fastify.config.httpsConfirmSeconds;
      void this.cancel(
        null,
        `The change was not confirmed over the new address within ${seconds} seconds, so it was undone.`,
      ).catch((err) => this.log.error({ err }, 'revert failed'));
    }, ms);
    this.timer.unref();
  }

  private disarmTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Notices writes made outside this process (`certdesk reset-https`) or by other features without reload(). */
  private async poll(): Promise<void> {
    if (!this.started) return;
    let now: string;
    try {
      now = settingsFingerprint(this.stores.db);
    } catch {
      return; // database closing
    }
    if (now === this.fingerprint) return;
    this.fingerprint = now;
    await this.serial(() => this.applyFromDb()).catch(async (err) => {
      this.log.error(
        { err },
        'settings changed outside the console but cannot be served; keeping the current listeners',
      );
    });
    if (this.listeners.httpsPort === null) this.lastProbe = null;
  }
}

export default fp(
  async (fastify) => {
    const manager = new HttpsManager(
      fastify,
      { db: fastify.db, certificates: fastify.certificates, privateKeys: fastify.privateKeys },
      fastify.log,
    );
    fastify.decorate('httpsManager', manager);
    fastify.addHook('onRequest', async (request, reply) => {
      const target = manager.redirectTarget(request);
      if (target)
        return reply.redirect(target, request.method === 'GET' || request.method === 'HEAD' ? 301 : 308);
    });
    fastify.addHook('onSend', async (request, reply) => {
      const hsts = manager.hstsFor(request);
      if (hsts) reply.header('strict-transport-security', hsts);
    });
    fastify.addHook('onClose', async () => manager.close());
  },
  { name: 'https-manager', dependencies: ['db', 'audit'] },
);

import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type {
  ProbeResult,
  ServerSettingsUpdate,
  ServerSettings as ServerSettingsView,
} from '@certdesk/shared';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import { AppError } from '../errors.js';
import { BindingStore } from '../store/bindings.js';
import { PendingChangeStore, type StoredPendingChange } from '../store/pending-changes.js';
import {
  defaultServerSettings,
  type PortField,
  type ServerSettings,
  storedPorts,
} from '../store/server-settings.js';
import { TrustAnchorStore } from '../store/trust-anchors.js';
import { assertNotStaleConnection, assertOverNewListener } from '../tls/confirm-checks.js';
import type { Listeners } from '../tls/listeners.js';
import { PendingChangeMachine } from '../tls/pending-change.js';
import { assertCoversServerNames, buildPlan, type Stores } from '../tls/plan.js';
import { assertPortsNotFromEnvironment, describePortSources } from '../tls/port-sources.js';
import { probeServerNames } from '../tls/probe.js';
import { hstsFor, type Redirect, redirectFor } from '../tls/redirect.js';
import { changedFields, mergeSettings, needsConfirmation } from '../tls/settings-change.js';
import { settingsView } from '../tls/view.js';

/** How often the rows are compared for writes made outside this process (`certdesk reset-https`). */
export const OUTSIDE_WRITE_POLL_MS = 2_000;

interface Audit {
  record(
    request: FastifyRequest | null,
    entry: { action: string; actor?: string | null; details?: Record<string, unknown> },
  ): void;
}

export interface HttpsManagerDeps {
  stores: Stores;
  listeners: Listeners;
  audit: Audit;
  log: FastifyBaseLogger;
  clock: Clock;
  config: {
    host: string;
    httpPort: number;
    httpsPort: number;
    httpsConfirmSeconds: number;
    /** Ports CERTDESK_HTTP_PORT / CERTDESK_HTTPS_PORT set: they win over the stored settings. */
    portsFromEnvironment?: readonly PortField[];
  };
}

/**
 * HTTPS mode (issue "HTTPS mode"): serves the settings on the listeners, one change at a time. A change
 * that could lock the admin out is applied live but committed only when confirmed over the new listener
 * (the state machine in tls/pending-change.ts). Other features call `reload()` after they change the
 * active certificate or the bindings.
 */
export class HttpsManager {
  readonly listeners: Listeners;
  readonly changes: PendingChangeMachine;
  lastProbe: ProbeResult | null = null;
  private started = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: HttpsManagerDeps) {
    const { config, stores } = deps;
    this.listeners = deps.listeners;
    const repository = new PendingChangeStore(stores.db, () =>
      defaultServerSettings(config.httpPort, config.httpsPort, this.portsFromEnvironment),
    );
    this.changes = new PendingChangeMachine(repository, deps.clock, {
      confirmSeconds: config.httpsConfirmSeconds,
      pollMs: OUTSIDE_WRITE_POLL_MS,
      onExpired: () =>
        this.cancel(
          null,
          `The change was not confirmed over the new address within ${config.httpsConfirmSeconds} seconds, so it was undone.`,
        ).catch((err) => deps.log.error({ err }, 'revert failed')),
      onOutsideWrite: () => this.followOutsideWrite(),
    });
  }

  /** Bound ports, for the log line at start and for tests that listen on port 0. */
  get ports(): { http: number | null; https: number | null } {
    return { http: this.listeners.httpPort, https: this.listeners.httpsPort };
  }

  committed(): ServerSettings {
    return this.changes.committed();
  }

  pending(): StoredPendingChange | null {
    return this.changes.pending();
  }

  get httpsConfirmed(): boolean {
    return this.changes.confirmed;
  }

  get portsFromEnvironment(): readonly PortField[] {
    return this.deps.config.portsFromEnvironment ?? [];
  }

  /** Opens the listeners in the last committed mode; a change left pending by a restart is undone. */
  async start(): Promise<void> {
    await this.serial(async () => {
      this.changes.revertLeftOver();
      this.started = true;
      const committed = this.changes.committed();
      this.deps.log.info(
        describePortSources(committed, storedPorts(this.deps.stores.db), this.portsFromEnvironment),
      );
      try {
        await this.listeners.apply(buildPlan(this.deps.stores, committed));
      } catch (err) {
        if (!(err instanceof AppError) || !committed.httpsEnabled || err.code.startsWith('PORT_')) throw err;
        // The committed certificate cannot be served any more (key gone, expired): stay reachable over HTTP.
        this.deps.log.error({ code: err.code }, `HTTPS not started: ${err.message} Serving HTTP only.`);
        await this.listeners.apply({ httpPort: committed.httpPort, https: null });
      }
      this.changes.startPolling();
    });
    if (this.listeners.httpsPort !== null) await this.probe().catch(() => undefined);
  }

  /** Re-reads settings and bindings and serves them; throws a 422 (old certificate kept) when a key does not load. */
  async reload(): Promise<void> {
    await this.serial(() => this.serveFromRows());
  }

  async update(update: ServerSettingsUpdate, request: FastifyRequest): Promise<{ status: 200 | 202 }> {
    const { stores, audit } = this.deps;
    const result = await this.serial(async () => {
      this.changes.assertNothingPending();
      const current = this.changes.committed();
      assertPortsNotFromEnvironment(current, update, this.portsFromEnvironment);
      const next = mergeSettings(current, update);
      if (!next.httpsEnabled && next.activeCertificateId !== null) {
        if (!stores.certificates.get(next.activeCertificateId)) {
          throw AppError.inRequest(
            'CERTIFICATE_NOT_FOUND',
            `There is no certificate with id ${next.activeCertificateId}.`,
            { field: 'activeCertificateId' },
          );
        }
      }
      const plan = buildPlan(stores, next);
      assertCoversServerNames(stores, next);
      const changes = changedFields(current, next);
      if (changes.length === 0) return { status: 200 as const, probe: false };
      if (this.started) await this.listeners.apply(plan);
      if (needsConfirmation(current, next)) {
        const pending = this.changes.propose(next, changes);
        audit.record(request, {
          action: 'settings.server.propose',
          details: { changes, expiresAt: pending.expiresAt },
        });
        return { status: 202 as const, probe: next.httpsEnabled };
      }
      this.changes.commitNow(next);
      audit.record(request, { action: 'settings.server.update', details: { changes } });
      // Neither the redirect switch nor the AIA setting changes what the HTTPS listener serves.
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
      const pending = this.changes.requirePending();
      const socket = request.raw.socket as TLSSocket;
      if (this.started) assertOverNewListener(pending, socket, this.ports);
      assertNotStaleConnection(socket, pending.settings.activeCertificateId, this.servedBefore());
      this.changes.confirm(pending);
      this.deps.audit.record(request, {
        action: 'settings.server.confirm',
        details: { changes: pending.changes },
      });
    });
    if (this.listeners.httpsPort !== null) await this.probe().catch(() => undefined);
  }

  /** Undoes the pending change now (the admin changed their mind, or the window ran out). */
  async cancel(request: FastifyRequest | null, reason: string): Promise<boolean> {
    return this.serial(async () => {
      const undone = this.changes.revert(reason, (pending) =>
        this.deps.audit.record(request, {
          action: 'settings.server.revert',
          actor: request ? undefined : 'system',
          details: { changes: pending.changes, reason },
        }),
      );
      if (!undone) return false;
      await this.serveCommittedOrHttp();
      this.changes.markSeen();
      return true;
    });
  }

  /** A real handshake to each name clients use (and each SNI binding), as they would make it. */
  async probe(): Promise<ProbeResult> {
    const port = this.listeners.httpsPort;
    const at = new Date(this.deps.clock.now()).toISOString();
    if (port === null) {
      this.lastProbe = { at, port: null, results: [] };
      return this.lastProbe;
    }
    const { db } = this.deps.stores;
    const bound = new BindingStore(db)
      .list()
      .map((b) => b.hostname)
      .filter((h) => !h.startsWith('*.'));
    const results = await probeServerNames({
      listenHost: this.deps.config.host,
      port,
      names: [...this.changes.effective().serverNames, ...bound],
      anchorPems: new TrustAnchorStore(db).allDer().map((der) => new X509Certificate(der).toString()),
    });
    this.lastProbe = { at, port, results };
    return this.lastProbe;
  }

  /** The GET /api/settings/server answer. */
  view(request: FastifyRequest): ServerSettingsView {
    return settingsView({
      committed: this.changes.committed(),
      pending: this.changes.pending(),
      lastRevert: this.changes.lastRevert(),
      confirmed: this.changes.confirmed,
      bound: this.ports,
      confirmSeconds: this.deps.config.httpsConfirmSeconds,
      lastProbe: this.lastProbe,
      requestHostname: request.hostname,
      portsFromEnvironment: this.portsFromEnvironment,
    });
  }

  /** Where a request on the HTTP listener should go instead, or null to serve it here. */
  redirectFor(request: FastifyRequest): Redirect | null {
    const socket = request.raw.socket as TLSSocket;
    if (socket.encrypted) return null;
    const committed = this.changes.committed();
    return redirectFor(
      {
        active: this.changes.confirmed && committed.redirectHttp,
        httpsPort: this.listeners.httpsPort,
        serverNames: committed.serverNames,
        listenHost: this.deps.config.host,
      },
      {
        method: request.method,
        url: request.url,
        hostHeader: request.headers.host,
        localAddress: socket.localAddress,
      },
    );
  }

  hstsFor(request: FastifyRequest): string | null {
    return hstsFor(this.changes.confirmed, (request.raw.socket as TLSSocket).encrypted === true);
  }

  /** Resolves once the work the confirmation timer and the poller started is done (tests that advance a clock). */
  async settled(): Promise<void> {
    await this.changes.settled();
    await this.queue;
  }

  async close(): Promise<void> {
    this.changes.stop();
    this.started = false;
    await this.listeners.close();
  }

  // --- internals -------------------------------------------------------------------------------

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private servedBefore(): { id: number; fingerprintSha256: string } | null {
    const id = this.changes.committed().activeCertificateId;
    const row = id === null ? undefined : this.deps.stores.certificates.get(id);
    return row ? { id: row.id, fingerprintSha256: row.fingerprint_sha256 } : null;
  }

  private async serveFromRows(): Promise<void> {
    this.changes.refresh();
    const plan = buildPlan(this.deps.stores, this.changes.effective());
    if (this.started) await this.listeners.apply(plan);
    this.changes.markSeen();
  }

  private async serveCommittedOrHttp(): Promise<void> {
    if (!this.started) return;
    const committed = this.changes.committed();
    try {
      await this.listeners.apply(buildPlan(this.deps.stores, committed));
    } catch (err) {
      this.deps.log.error({ err }, 'the committed HTTPS settings cannot be served; serving HTTP only');
      await this.listeners.apply({ httpPort: committed.httpPort, https: null });
    }
  }

  private async followOutsideWrite(): Promise<void> {
    if (!this.started) return;
    await this.serial(() => this.serveFromRows()).catch((err) => {
      this.deps.log.error(
        { err },
        'settings changed outside the console but cannot be served; keeping the current listeners',
      );
    });
    if (this.listeners.httpsPort === null) this.lastProbe = null;
  }
}

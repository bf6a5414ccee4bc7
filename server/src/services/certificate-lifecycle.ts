import type { Db } from '../db/open.js';
import { AppError } from '../errors.js';
import type { BindingStore } from '../store/bindings.js';
import type { CertificateRow, CertificateStore } from '../store/certificates.js';
import type { CsrStore } from '../store/csrs.js';
import type { KvStore } from '../store/kv.js';
import { readPending } from '../store/pending-changes.js';
import type { PrivateKeyStore } from '../store/private-keys.js';
import type { ServerSettings, SettingsDefaults } from '../store/server-settings.js';
import type { EventBus } from './events.js';

/**
 * The writes of the inventory: delete, promote (replace in place) and restore (roll back). Each runs in
 * one transaction, so a crash leaves either the old usages or the new ones, never a mix. Promote and
 * restore then reload the HTTPS listener, and put the database back if the listener refuses.
 */

export interface Usages {
  active: boolean;
  /** The certificate a pending (unconfirmed) HTTPS change would serve. */
  pending: boolean;
  bindings: { id: number; hostname: string }[];
}

export interface MoveResult {
  from: number;
  to: number;
  movedActive: boolean;
  movedBindings: string[];
}

export interface LifecycleDeps {
  db: Db;
  certificates: CertificateStore;
  privateKeys: PrivateKeyStore;
  csrs: CsrStore;
  bindings: BindingStore;
  kv: KvStore;
  /** The settings of a fresh install (ports from the configuration). */
  defaults: () => SettingsDefaults;
  /** Makes the listeners serve what the database now says; throws when they cannot. */
  reload: () => Promise<void>;
  /** Told after a promote or restore has been stored and served (deployment targets follow it). */
  events?: EventBus;
  /** Deployment targets deliver a certificate: one they name cannot be deleted. */
  deployTargets?: { ofCertificate(id: number): { name: string }[] };
}

export class CertificateLifecycle {
  constructor(private readonly deps: LifecycleDeps) {}

  settings(): ServerSettings {
    return this.deps.kv.serverSettings(this.deps.defaults());
  }

  usages(id: number): Usages {
    const pending = readPending(this.deps.db);
    return {
      active: this.settings().activeCertificateId === id,
      pending: pending?.settings.activeCertificateId === id,
      bindings: this.deps.bindings.ofCertificate(id),
    };
  }

  private get(id: number): CertificateRow {
    const row = this.deps.certificates.get(id);
    if (!row) throw new AppError('CERTIFICATE_NOT_FOUND');
    return row;
  }

  /**
   * Deletes a certificate that nothing serves. Its private key goes with it unless another certificate
   * or a CSR still references the key (a CSR keeps its key: every CSR is kept, and a pending one may
   * still receive its certificate). Returns whether the key was deleted.
   */
  delete(id: number): { keyDeleted: boolean; row: CertificateRow } {
    const { db, certificates, csrs, privateKeys } = this.deps;
    return db.transaction(() => {
      const row = this.get(id);
      const u = this.usages(id);
      if (u.active || u.pending || u.bindings.length > 0) {
        throw new AppError('CERTIFICATE_IN_USE', undefined, {
          active: u.active,
          pending: u.pending,
          bindings: u.bindings.map((b) => b.hostname),
        });
      }
      const targets = this.deps.deployTargets?.ofCertificate(id) ?? [];
      if (targets.length > 0) {
        throw new AppError(
          'CERTIFICATE_IN_USE',
          `This certificate is delivered to deployment targets (${targets.map((t) => t.name).join(', ')}). Point them at another certificate or delete them first.`,
          { active: false, pending: false, bindings: [], targets: targets.map((t) => t.name) },
        );
      }
      certificates.delete(id);
      let keyDeleted = false;
      if (row.key_id !== null && !certificates.usesKey(row.key_id) && !csrs.usesKey(row.key_id)) {
        privateKeys.delete(row.key_id);
        keyDeleted = true;
      }
      return { keyDeleted, row };
    })();
  }

  /** Sets the display name, trimmed; empty clears it. Returns the names before and after, for the audit. */
  rename(id: number, name: string | null): { from: string | null; to: string | null } {
    const to = name?.trim() || null;
    return this.deps.db.transaction(() => {
      const row = this.get(id);
      this.deps.certificates.rename(id, to);
      return { from: row.name, to };
    })();
  }

  /** Replace in place: whatever uses the previous version now uses this one; the previous one is superseded. */
  async promote(id: number, now = new Date(), reason: 'promote' | 'renew' = 'promote'): Promise<MoveResult> {
    const moved = this.deps.db.transaction(() => {
      const row = this.get(id);
      if (row.previous_version_id === null) throw new AppError('NO_PREVIOUS_VERSION');
      const prev = this.get(row.previous_version_id);
      if (prev.superseded_by_id === id) throw new AppError('ALREADY_PROMOTED');
      if (row.superseded_by_id !== null) {
        throw new AppError(
          'CONFLICT',
          'This certificate has itself been superseded by a newer version; promote that one instead.',
        );
      }
      this.assertServable(row, now);
      this.assertNoPending();
      const result = this.moveUsages(prev.id, id);
      this.deps.certificates.setSupersededBy(prev.id, id);
      return result;
    })();
    await this.reloadOrUndo(moved, { id: moved.from, by: null });
    this.deps.events?.emit('certificate-replaced', { from: moved.from, to: moved.to, reason });
    return moved;
  }

  /**
   * One-click rollback: a superseded certificate takes back the usages of the version that replaced it,
   * or, when that one was itself replaced later, of the newest version in that line (what is served now),
   * so any earlier version in the history can be put back in one step.
   */
  async restore(id: number, now = new Date()): Promise<MoveResult> {
    let supersededBy: number | null = null;
    const moved = this.deps.db.transaction(() => {
      const row = this.get(id);
      if (row.superseded_by_id === null) throw new AppError('CERTIFICATE_NOT_SUPERSEDED');
      supersededBy = row.superseded_by_id;
      this.assertServable(row, now);
      this.assertNoPending();
      const result = this.moveUsages(this.newestVersion(row.superseded_by_id, id), id);
      this.deps.certificates.setSupersededBy(id, null);
      return result;
    })();
    await this.reloadOrUndo(moved, { id, by: supersededBy });
    this.deps.events?.emit('certificate-replaced', { from: moved.from, to: moved.to, reason: 'restore' });
    return moved;
  }

  /** Follows supersededBy from `id` to the version nothing replaced (bounded; stops at a loop or `stop`). */
  private newestVersion(id: number, stop: number): number {
    const seen = new Set([stop]);
    let current = id;
    for (let next = this.get(current).superseded_by_id; next !== null && !seen.has(next); ) {
      seen.add(current);
      current = next;
      next = this.get(current).superseded_by_id;
    }
    return current;
  }

  /** Moves activeCertificateId and every binding from one certificate to another. Call inside a transaction. */
  private moveUsages(from: number, to: number): MoveResult {
    const { kv, bindings } = this.deps;
    const settings = this.settings();
    const movedActive = settings.activeCertificateId === from;
    if (movedActive) kv.setServerSettings({ ...settings, activeCertificateId: to });
    const hosts = bindings.ofCertificate(from).map((b) => b.hostname);
    bindings.moveAll(from, to);
    return { from, to, movedActive, movedBindings: hosts };
  }

  private assertServable(row: CertificateRow, now: Date): void {
    if (row.key_id === null) {
      throw new AppError(
        'NO_PRIVATE_KEY',
        'This certificate has no private key stored, so the server cannot use it. Import its key first.',
      );
    }
    if (Date.parse(row.not_after) < now.getTime()) throw new AppError('CERTIFICATE_EXPIRED');
  }

  private assertNoPending(): void {
    if (readPending(this.deps.db)) {
      throw new AppError(
        'PENDING_CHANGE_EXISTS',
        'An HTTPS change is waiting for confirmation. Confirm or cancel it first.',
      );
    }
  }

  private async reloadOrUndo(moved: MoveResult, supersede: { id: number; by: number | null }): Promise<void> {
    try {
      await this.deps.reload();
    } catch (err) {
      // The listener kept the old certificate: put the database back so it says what is served.
      this.undoMove(moved, supersede);
      await this.deps.reload().catch(() => undefined);
      throw err;
    }
  }

  /** Undoes a promote or restore whose listener reload failed (the DB must match what is served). */
  private undoMove(moved: MoveResult, supersede: { id: number; by: number | null }): void {
    const { db, kv, bindings, certificates } = this.deps;
    db.transaction(() => {
      // Only what was moved goes back: `to` may have had usages of its own before.
      const settings = this.settings();
      if (moved.movedActive && settings.activeCertificateId === moved.to) {
        kv.setServerSettings({ ...settings, activeCertificateId: moved.from });
      }
      for (const host of moved.movedBindings) bindings.moveHost(host, moved.to, moved.from);
      certificates.setSupersededBy(supersede.id, supersede.by);
    })();
  }
}

import type { Db } from '../db/open.js';
import { AppError } from '../errors.js';
import { readPending } from '../tls/pending.js';
import type { CertificateRow } from './certificates.js';
import { readServerSettings, type ServerSettings, writeServerSettings } from './server-settings.js';

/**
 * The writes of the inventory: delete, promote (replace in place) and restore (roll back). Each runs in
 * one transaction, so a crash leaves either the old usages or the new ones, never a mix. The caller
 * reloads the HTTPS listener afterwards.
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

export class CertificateLifecycle {
  constructor(
    private readonly db: Db,
    private readonly defaults: () => ServerSettings,
  ) {}

  settings(): ServerSettings {
    return readServerSettings(this.db, this.defaults());
  }

  usages(id: number): Usages {
    const pending = readPending(this.db);
    return {
      active: this.settings().activeCertificateId === id,
      pending: pending?.settings.activeCertificateId === id,
      bindings: this.db
        .prepare('SELECT id, hostname FROM bindings WHERE certificate_id = ? ORDER BY hostname')
        .all(id) as {
        id: number;
        hostname: string;
      }[],
    };
  }

  private get(id: number): CertificateRow {
    const row = this.db.prepare('SELECT * FROM certificates WHERE id = ?').get(id) as
      | CertificateRow
      | undefined;
    if (!row) throw new AppError('CERTIFICATE_NOT_FOUND');
    return row;
  }

  /**
   * Deletes a certificate that nothing serves. Its private key goes with it unless another certificate
   * or a CSR still references the key (a CSR keeps its key: every CSR is kept, and a pending one may
   * still receive its certificate). Returns whether the key was deleted.
   */
  delete(id: number): { keyDeleted: boolean; row: CertificateRow } {
    return this.db.transaction(() => {
      const row = this.get(id);
      const u = this.usages(id);
      if (u.active || u.pending || u.bindings.length > 0) {
        throw new AppError('CERTIFICATE_IN_USE', undefined, {
          active: u.active,
          pending: u.pending,
          bindings: u.bindings.map((b) => b.hostname),
        });
      }
      this.db.prepare('DELETE FROM certificates WHERE id = ?').run(id);
      let keyDeleted = false;
      if (row.key_id !== null) {
        const others = this.db.prepare('SELECT 1 FROM certificates WHERE key_id = ? LIMIT 1').get(row.key_id);
        const csr = this.db.prepare('SELECT 1 FROM csrs WHERE key_id = ? LIMIT 1').get(row.key_id);
        if (!others && !csr) {
          this.db.prepare('DELETE FROM private_keys WHERE id = ?').run(row.key_id);
          keyDeleted = true;
        }
      }
      return { keyDeleted, row };
    })();
  }

  /** Moves activeCertificateId and every binding from one certificate to another. Call inside a transaction. */
  private moveUsages(from: number, to: number): MoveResult {
    const settings = this.settings();
    const movedActive = settings.activeCertificateId === from;
    if (movedActive) writeServerSettings(this.db, { ...settings, activeCertificateId: to });
    const hosts = this.db
      .prepare('SELECT hostname FROM bindings WHERE certificate_id = ? ORDER BY hostname')
      .all(from) as {
      hostname: string;
    }[];
    this.db.prepare('UPDATE bindings SET certificate_id = ? WHERE certificate_id = ?').run(to, from);
    return { from, to, movedActive, movedBindings: hosts.map((h) => h.hostname) };
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
    if (readPending(this.db)) {
      throw new AppError(
        'PENDING_CHANGE_EXISTS',
        'An HTTPS change is waiting for confirmation. Confirm or cancel it first.',
      );
    }
  }

  /** Replace in place: whatever uses the previous version now uses this one; the previous one is superseded. */
  promote(id: number, now = new Date()): MoveResult {
    return this.db.transaction(() => {
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
      const moved = this.moveUsages(prev.id, id);
      this.db.prepare('UPDATE certificates SET superseded_by_id = ? WHERE id = ?').run(id, prev.id);
      return moved;
    })();
  }

  /** One-click rollback: a superseded certificate takes back the usages of the one that replaced it. */
  restore(id: number, now = new Date()): MoveResult {
    return this.db.transaction(() => {
      const row = this.get(id);
      if (row.superseded_by_id === null) throw new AppError('CERTIFICATE_NOT_SUPERSEDED');
      this.assertServable(row, now);
      this.assertNoPending();
      const moved = this.moveUsages(row.superseded_by_id, id);
      this.db.prepare('UPDATE certificates SET superseded_by_id = NULL WHERE id = ?').run(id);
      return moved;
    })();
  }

  /** Undoes a promote or restore whose listener reload failed (the DB must match what is served). */
  undoMove(moved: MoveResult, supersede: { id: number; by: number | null }): void {
    this.db.transaction(() => {
      // Only what was moved goes back: `to` may have had usages of its own before.
      const settings = this.settings();
      if (moved.movedActive && settings.activeCertificateId === moved.to) {
        writeServerSettings(this.db, { ...settings, activeCertificateId: moved.from });
      }
      const back = this.db.prepare(
        'UPDATE bindings SET certificate_id = ? WHERE hostname = ? AND certificate_id = ?',
      );
      for (const host of moved.movedBindings) back.run(moved.from, host, moved.to);
      this.db
        .prepare('UPDATE certificates SET superseded_by_id = ? WHERE id = ?')
        .run(supersede.by, supersede.id);
    })();
  }
}

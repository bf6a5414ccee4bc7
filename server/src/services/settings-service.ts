import type { Db } from '../db/open.js';
import { nowIso } from '../db/open.js';
import type { KvStore } from '../store/kv.js';
import { clearPending, readPending, writeLastRevert } from '../store/pending-changes.js';
import type { ServerSettings, SettingsDefaults } from '../store/server-settings.js';
import type { AuditService } from './audit-service.js';

const THRESHOLDS_KEY = 'expiry_thresholds';
export const DEFAULT_THRESHOLDS = [30, 14, 7];

/** Largest first, no duplicates: [7, 30, 14, 30] → [30, 14, 7]. */
export function normalizeThresholds(values: number[]): number[] {
  return [...new Set(values)].sort((a, b) => b - a);
}

export interface SettingsDeps {
  db: Db;
  kv: KvStore;
  audit: AuditService;
  /** The settings of a fresh install (ports from the configuration). */
  defaults: () => SettingsDefaults;
}

/** The settings everyone reads (server settings, expiry thresholds) and the command-line HTTPS reset. */
export class SettingsService {
  constructor(private readonly deps: SettingsDeps) {}

  /** The committed server settings (a pending HTTPS change is not in them until confirmed). */
  serverSettings(): ServerSettings {
    return this.deps.kv.serverSettings(this.deps.defaults());
  }

  /** Warning thresholds in days, largest first; the defaults when none (or nothing sensible) is stored. */
  expiryThresholds(): number[] {
    const stored = this.deps.kv.get(THRESHOLDS_KEY);
    if (stored === undefined) return DEFAULT_THRESHOLDS;
    const v = JSON.parse(stored) as unknown;
    return Array.isArray(v) && v.length > 0 && v.every((n) => Number.isInteger(n) && n > 0)
      ? (v as number[])
      : DEFAULT_THRESHOLDS;
  }

  setExpiryThresholds(values: number[]): { before: number[]; after: number[] } {
    const before = this.expiryThresholds();
    const after = normalizeThresholds(values);
    this.deps.kv.set(THRESHOLDS_KEY, JSON.stringify(after));
    return { before, after };
  }

  /**
   * `certdesk reset-https`: HTTPS off, any pending change dropped and explained as a revert, audited as
   * 'cli' — one transaction. A running server notices within a few seconds.
   */
  resetHttps(): { before: ServerSettings; hadPendingChange: boolean } {
    const { db, kv, audit } = this.deps;
    return db.transaction(() => {
      const before = this.serverSettings();
      const pending = readPending(db);
      kv.setServerSettings({ ...before, httpsEnabled: false });
      clearPending(db);
      writeLastRevert(db, {
        at: nowIso(),
        reason: 'HTTPS was turned off from the command line (certdesk reset-https).',
        changes: pending ? pending.changes : ['httpsEnabled'],
      });
      audit.record(null, {
        actor: 'cli',
        action: 'settings.server.reset-https',
        details: { wasHttpsEnabled: before.httpsEnabled, hadPendingChange: pending !== null },
      });
      return { before, hadPendingChange: pending !== null };
    })();
  }
}

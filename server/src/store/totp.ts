import fp from 'fastify-plugin';
import type { Db } from '../db/open.js';
import type { KeyEncryption } from './key-encryption.js';

const statements = (db: Db) => ({
  get: db.prepare(
    'SELECT sealed_secret, enabled_at, last_time_step, recovery_hashes FROM user_totp WHERE user_id = ?',
  ),
  isEnabled: db.prepare('SELECT 1 FROM user_totp WHERE user_id = ? AND enabled_at IS NOT NULL'),
  // A new set-up replaces a pending one; an enabled one is never overwritten here.
  begin: db.prepare(
    `INSERT INTO user_totp (user_id, sealed_secret, created_at) VALUES (?, ?, ?)
     ON CONFLICT(user_id) DO UPDATE SET sealed_secret = excluded.sealed_secret,
       created_at = excluded.created_at, last_time_step = NULL, recovery_hashes = '[]'
     WHERE user_totp.enabled_at IS NULL`,
  ),
  enable: db.prepare(
    `UPDATE user_totp SET enabled_at = ?, last_time_step = ?, recovery_hashes = ?
     WHERE user_id = ? AND enabled_at IS NULL`,
  ),
  // Only forward: a code of an earlier step can never be accepted after a later one.
  acceptStep: db.prepare(
    `UPDATE user_totp SET last_time_step = ?
     WHERE user_id = ? AND (last_time_step IS NULL OR last_time_step < ?)`,
  ),
  setRecovery: db.prepare('UPDATE user_totp SET recovery_hashes = ? WHERE user_id = ?'),
  delete: db.prepare('DELETE FROM user_totp WHERE user_id = ?'),
});

export interface TotpRecord {
  secret: string;
  enabled: boolean;
  lastTimeStep: number | null;
  recoveryHashes: string[];
}

/** Removes an account's enrolment without the key (the sealed secret is dropped, never read): the CLI's reset. */
export function deleteTotpEnrolment(db: Db, userId: number): boolean {
  return db.prepare('DELETE FROM user_totp WHERE user_id = ?').run(userId).changes === 1;
}

/** The user_totp table: each account's TOTP secret (sealed at rest), replay guard and recovery hashes. */
export class TotpStore {
  private readonly sql: ReturnType<typeof statements>;

  constructor(
    db: Db,
    private readonly enc: KeyEncryption,
  ) {
    this.sql = statements(db);
  }

  find(userId: number): TotpRecord | undefined {
    const row = this.sql.get.get(userId) as
      | {
          sealed_secret: Buffer;
          enabled_at: string | null;
          last_time_step: number | null;
          recovery_hashes: string;
        }
      | undefined;
    if (!row) return undefined;
    return {
      secret: this.enc.open(row.sealed_secret).toString('utf8'),
      enabled: row.enabled_at !== null,
      lastTimeStep: row.last_time_step,
      recoveryHashes: JSON.parse(row.recovery_hashes) as string[],
    };
  }

  /** Cheap (no unsealing): asked on every request while an administrator requires two-factor. */
  isEnabled(userId: number): boolean {
    return this.sql.isEnabled.get(userId) !== undefined;
  }

  /** Stores a pending secret; false when the account already has TOTP on. */
  begin(userId: number, secret: string, now: string): boolean {
    return this.sql.begin.run(userId, this.enc.seal(Buffer.from(secret, 'utf8')), now).changes === 1;
  }

  /** Turns a pending secret on; false when there was none pending. */
  enable(userId: number, now: string, timeStep: number, recoveryHashes: string[]): boolean {
    return this.sql.enable.run(now, timeStep, JSON.stringify(recoveryHashes), userId).changes === 1;
  }

  /** Records an accepted step; false when it is not later than the last one (a replay). */
  acceptStep(userId: number, timeStep: number): boolean {
    return this.sql.acceptStep.run(timeStep, userId, timeStep).changes === 1;
  }

  setRecoveryHashes(userId: number, hashes: string[]): void {
    this.sql.setRecovery.run(JSON.stringify(hashes), userId);
  }

  delete(userId: number): boolean {
    return this.sql.delete.run(userId).changes === 1;
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('totpSecrets', new TotpStore(fastify.db, fastify.keyEncryption));
  },
  { name: 'totp-repository', dependencies: ['db'] },
);

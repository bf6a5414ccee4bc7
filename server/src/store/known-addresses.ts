import type { Db } from '../db/open.js';
import { nowIso } from '../db/open.js';

/** Addresses each user signed in from successfully (table known_sign_in_addresses). */
export class KnownAddressStore {
  /** Enough for home, office and VPN; older ones are forgotten so the table stays small. */
  static readonly PER_USER = 20;

  constructor(private readonly db: Db) {}

  isKnown(username: string, ip: string): boolean {
    return (
      this.db
        .prepare(
          `SELECT 1 FROM known_sign_in_addresses k JOIN users u ON u.id = k.user_id
           WHERE u.username = ? AND k.ip = ?`,
        )
        .get(username, ip) !== undefined
    );
  }

  remember(userId: number, ip: string): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO known_sign_in_addresses (user_id, ip, last_success_at) VALUES (?, ?, ?)
           ON CONFLICT(user_id, ip) DO UPDATE SET last_success_at = excluded.last_success_at`,
        )
        .run(userId, ip, nowIso());
      this.db
        .prepare(
          `DELETE FROM known_sign_in_addresses WHERE user_id = ? AND ip NOT IN (
             SELECT ip FROM known_sign_in_addresses WHERE user_id = ?
             ORDER BY last_success_at DESC LIMIT ?)`,
        )
        .run(userId, userId, KnownAddressStore.PER_USER);
    })();
  }
}

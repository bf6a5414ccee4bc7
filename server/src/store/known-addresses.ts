import fp from 'fastify-plugin';
import type { Db } from '../db/open.js';
import { nowIso } from '../db/open.js';

/** Enough for home, office and VPN; older ones are forgotten so the table stays small. */
const PER_USER = 20;

const statements = (db: Db) => ({
  isKnown: db.prepare(
    `SELECT 1 FROM known_sign_in_addresses k JOIN users u ON u.id = k.user_id
     WHERE u.username = ? AND k.ip = ?`,
  ),
  upsert: db.prepare(
    `INSERT INTO known_sign_in_addresses (user_id, ip, last_success_at) VALUES (?, ?, ?)
     ON CONFLICT(user_id, ip) DO UPDATE SET last_success_at = excluded.last_success_at`,
  ),
  forgetOldest: db.prepare(
    `DELETE FROM known_sign_in_addresses WHERE user_id = ? AND ip NOT IN (
       SELECT ip FROM known_sign_in_addresses WHERE user_id = ?
       ORDER BY last_success_at DESC LIMIT ?)`,
  ),
});

/** Addresses each user signed in from successfully (table known_sign_in_addresses). */
export class KnownAddressStore {
  private readonly sql: ReturnType<typeof statements>;
  private readonly rememberTx: (userId: number, ip: string) => void;

  constructor(db: Db) {
    this.sql = statements(db);
    this.rememberTx = db.transaction((userId: number, ip: string) => {
      this.sql.upsert.run(userId, ip, nowIso());
      this.sql.forgetOldest.run(userId, userId, PER_USER);
    });
  }

  isKnown(username: string, ip: string): boolean {
    return this.sql.isKnown.get(username, ip) !== undefined;
  }

  remember(userId: number, ip: string): void {
    this.rememberTx(userId, ip);
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('knownAddresses', new KnownAddressStore(fastify.db));
  },
  { name: 'known-addresses-repository', dependencies: ['db'] },
);

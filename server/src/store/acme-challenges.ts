import fp from 'fastify-plugin';
import type { Db } from '../db/open.js';

const statements = (db: Db) => ({
  put: db.prepare(
    `INSERT INTO acme_challenges (token, key_authorization, order_id) VALUES (?, ?, ?)
     ON CONFLICT(token) DO UPDATE SET key_authorization = excluded.key_authorization, order_id = excluded.order_id`,
  ),
  get: db.prepare('SELECT key_authorization FROM acme_challenges WHERE token = ?'),
  clear: db.prepare('DELETE FROM acme_challenges WHERE order_id = ?'),
});

/**
 * The acme_challenges table: HTTP-01 answers the listener serves. In the database rather than in memory
 * so a restart in the middle of a validation still answers the CA.
 */
export class AcmeChallengeStore {
  private readonly sql: ReturnType<typeof statements>;

  constructor(db: Db) {
    this.sql = statements(db);
  }

  put(token: string, keyAuthorization: string, orderId: number): void {
    this.sql.put.run(token, keyAuthorization, orderId);
  }

  keyAuthorization(token: string): string | undefined {
    return (this.sql.get.get(token) as { key_authorization: string } | undefined)?.key_authorization;
  }

  clearOrder(orderId: number): void {
    this.sql.clear.run(orderId);
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('acmeChallenges', new AcmeChallengeStore(fastify.db));
  },
  { name: 'acme-challenges-repository', dependencies: ['db'] },
);

import fp from 'fastify-plugin';
import type { Db } from '../db/open.js';
import { nowIso } from '../db/open.js';

const statements = (db: Db) => ({
  all: db.prepare('SELECT cert_der FROM intermediates ORDER BY id'),
  learn: db.prepare(
    'INSERT OR IGNORE INTO intermediates (subject, fingerprint_sha256, cert_der, created_at) VALUES (?, ?, ?, ?)',
  ),
});

/** The intermediates table: CA certificates learned from imports, offered to later automatic chain builds. */
export class IntermediateStore {
  private readonly sql: ReturnType<typeof statements>;

  constructor(db: Db) {
    this.sql = statements(db);
  }

  /** DER of every learned intermediate, oldest first. */
  allDer(): Buffer[] {
    return (this.sql.all.all() as { cert_der: Buffer }[]).map((r) => r.cert_der);
  }

  /** Keeps an intermediate for later chain builds; one already known is left as it is. */
  learn(subject: string, fingerprintSha256: string, der: Buffer): void {
    this.sql.learn.run(subject, fingerprintSha256, der, nowIso());
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('intermediates', new IntermediateStore(fastify.db));
  },
  { name: 'intermediates-repository', dependencies: ['db'] },
);

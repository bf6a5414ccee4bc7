import fp from 'fastify-plugin';
import type { Db } from '../db/open.js';
import { nowIso } from '../db/open.js';

export interface TrustAnchorRow {
  id: number;
  subject: string;
  fingerprint_sha256: string;
  cert_der: Buffer;
  created_at: string;
}

const statements = (db: Db) => ({
  list: db.prepare('SELECT * FROM trust_anchors ORDER BY id'),
  allDer: db.prepare('SELECT cert_der FROM trust_anchors ORDER BY id'),
  get: db.prepare('SELECT * FROM trust_anchors WHERE id = ?'),
  idByFingerprint: db.prepare('SELECT id FROM trust_anchors WHERE fingerprint_sha256 = ?'),
  insert: db.prepare(
    'INSERT INTO trust_anchors (subject, fingerprint_sha256, cert_der, created_at) VALUES (?, ?, ?, ?)',
  ),
  delete: db.prepare('DELETE FROM trust_anchors WHERE id = ?'),
});

/** The trust_anchors table: enterprise roots added to Node's bundled Mozilla roots. */
export class TrustAnchorStore {
  private readonly sql: ReturnType<typeof statements>;

  constructor(db: Db) {
    this.sql = statements(db);
  }

  list(): TrustAnchorRow[] {
    return this.sql.list.all() as TrustAnchorRow[];
  }

  /** DER of every anchor, oldest first. */
  allDer(): Buffer[] {
    return (this.sql.allDer.all() as { cert_der: Buffer }[]).map((r) => r.cert_der);
  }

  get(id: number): TrustAnchorRow | undefined {
    return this.sql.get.get(id) as TrustAnchorRow | undefined;
  }

  idByFingerprint(fingerprintSha256: string): number | undefined {
    return (this.sql.idByFingerprint.get(fingerprintSha256) as { id: number } | undefined)?.id;
  }

  insert(subject: string, fingerprintSha256: string, der: Buffer): number {
    return Number(this.sql.insert.run(subject, fingerprintSha256, der, nowIso()).lastInsertRowid);
  }

  delete(id: number): void {
    this.sql.delete.run(id);
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('trustAnchors', new TrustAnchorStore(fastify.db));
  },
  { name: 'trust-anchors-repository', dependencies: ['db'] },
);

import type { CsrStatus, CsrSubject, CsrSummary } from '@certdesk/shared';
import fp from 'fastify-plugin';
import type { Db } from '../db/open.js';
import { nowIso } from '../db/open.js';

export interface CsrRow {
  id: number;
  key_id: number;
  csr_pem: string;
  subject_json: string;
  common_name: string;
  subject_alt_names: string;
  status: string;
  certificate_id: number | null;
  renews_certificate_id: number | null;
  created_at: string;
  key_type: 'rsa' | 'ec';
  key_size: number | null;
  curve: string | null;
  spki_sha256: string;
  /** A certificate stored with this CSR's key, whether or not the import linked it to the CSR. */
  paired_certificate_id: number | null;
}

// A CSR is completed once a certificate carries its key: the import pairs by key, so this also
// sees certificates whose import did not (or could not) update csrs.certificate_id.
const SELECT = `
  SELECT c.*, k.key_type, k.key_size, k.curve, k.spki_sha256,
    (SELECT id FROM certificates WHERE key_id = c.key_id ORDER BY id LIMIT 1) AS paired_certificate_id
  FROM csrs c JOIN private_keys k ON k.id = c.key_id`;

/** A pending CSR no certificate has completed yet, as the dashboard lists it. */
export interface PendingCsrRow {
  id: number;
  common_name: string;
  created_at: string;
  renews_certificate_id: number | null;
}

const statements = (db: Db) => ({
  insert: db.prepare(
    `INSERT INTO csrs (key_id, csr_pem, subject_json, common_name, subject_alt_names, status, renews_certificate_id, created_at)
     VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)`,
  ),
  get: db.prepare(`${SELECT} WHERE c.id = ?`),
  pendingByKey: db.prepare(
    `${SELECT} WHERE c.key_id = ? AND c.status = 'pending' ORDER BY c.id DESC LIMIT 1`,
  ),
  pendingIdByKey: db.prepare("SELECT id FROM csrs WHERE key_id = ? AND status = 'pending' ORDER BY id DESC"),
  renews: db.prepare('SELECT renews_certificate_id FROM csrs WHERE id = ?'),
  complete: db.prepare(`UPDATE csrs SET status = 'completed', certificate_id = ? WHERE id = ?`),
  keyUsed: db.prepare('SELECT 1 FROM csrs WHERE key_id = ? LIMIT 1'),
  list: db.prepare(`${SELECT} ORDER BY c.id DESC LIMIT ?`),
  pendingUnlinked: db.prepare(
    // A CSR without CN (its names all in the SANs) is listed by its first SAN.
    `SELECT id, coalesce(nullif(common_name, ''), json_extract(subject_alt_names, '$[0]')) AS common_name,
       created_at, renews_certificate_id FROM csrs
     WHERE status = 'pending' AND certificate_id IS NULL ORDER BY id DESC LIMIT ?`,
  ),
});

/** The csrs table, with each CSR's pending key. Every CSR is kept; only its status changes. */
export class CsrStore {
  private readonly sql: ReturnType<typeof statements>;

  constructor(db: Db) {
    this.sql = statements(db);
  }

  /** Call inside the caller's transaction, after inserting the key. */
  insert(input: {
    keyId: number;
    csrPem: string;
    subject: CsrSubject;
    subjectAltNames: string[];
    renewsCertificateId: number | null;
  }): number {
    const r = this.sql.insert.run(
      input.keyId,
      input.csrPem,
      JSON.stringify(input.subject),
      input.subject.commonName,
      JSON.stringify(input.subjectAltNames),
      input.renewsCertificateId,
      nowIso(),
    );
    return Number(r.lastInsertRowid);
  }

  get(id: number): CsrRow | undefined {
    return this.sql.get.get(id) as CsrRow | undefined;
  }

  /** The newest pending CSR made with this key, if any (the import pairs a certificate with it by key). */
  findPendingByKeyId(keyId: number): CsrRow | undefined {
    return this.sql.pendingByKey.get(keyId) as CsrRow | undefined;
  }

  /** Id of the newest pending CSR made with this key (no join: the import asks this for every key it finds). */
  pendingIdForKey(keyId: number): number | undefined {
    return (this.sql.pendingIdByKey.get(keyId) as { id: number } | undefined)?.id;
  }

  /** The certificate a CSR was made to renew, if any. */
  renewsCertificateId(csrId: number): number | null {
    const row = this.sql.renews.get(csrId) as { renews_certificate_id: number | null } | undefined;
    return row?.renews_certificate_id ?? null;
  }

  /** Marks a CSR completed by `certificateId`. Run inside the import's transaction. */
  complete(csrId: number, certificateId: number): void {
    this.sql.complete.run(certificateId, csrId);
  }

  /** Whether any CSR was made with this private key (such a key is never deleted with a certificate). */
  usesKey(keyId: number): boolean {
    return this.sql.keyUsed.get(keyId) !== undefined;
  }

  /** Newest first. */
  list(limit = 1000): CsrRow[] {
    return this.sql.list.all(limit) as CsrRow[];
  }

  /** Pending CSRs no certificate is linked to yet, newest first. */
  pendingUnlinked(limit = 100): PendingCsrRow[] {
    return this.sql.pendingUnlinked.all(limit) as PendingCsrRow[];
  }
}

export function csrSummary(row: CsrRow): CsrSummary {
  const certificateId = row.certificate_id ?? row.paired_certificate_id;
  const status: CsrStatus = row.status === 'completed' || certificateId !== null ? 'completed' : 'pending';
  return {
    id: row.id,
    commonName: row.common_name,
    subject: JSON.parse(row.subject_json) as CsrSubject,
    subjectAltNames: JSON.parse(row.subject_alt_names) as string[],
    keyType: row.key_type,
    ...(row.key_type === 'rsa' ? { keySize: row.key_size ?? undefined } : { curve: row.curve ?? undefined }),
    status,
    certificateId,
    renewsCertificateId: row.renews_certificate_id,
    createdAt: row.created_at,
  };
}

export default fp(
  async (fastify) => {
    fastify.decorate('csrs', new CsrStore(fastify.db));
  },
  { name: 'csrs-repository', dependencies: ['db'] },
);

import type { CsrStatus, CsrSubject, CsrSummary } from '@certdesk/shared';
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

/** CSRs with their pending keys. Rows are never updated in place by this store: every CSR is kept. */
export class CsrStore {
  constructor(private readonly db: Db) {}

  /** Call inside the caller's transaction, after inserting the key. */
  insert(input: {
    keyId: number;
    csrPem: string;
    subject: CsrSubject;
    subjectAltNames: string[];
    renewsCertificateId: number | null;
  }): number {
    const r = this.db
      .prepare(
        `INSERT INTO csrs (key_id, csr_pem, subject_json, common_name, subject_alt_names, status, renews_certificate_id, created_at)
         VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)`,
      )
      .run(
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
    return this.db.prepare(`${SELECT} WHERE c.id = ?`).get(id) as CsrRow | undefined;
  }

  /** The newest pending CSR made with this key, if any (the import pairs a certificate with it by key). */
  findPendingByKeyId(keyId: number): CsrRow | undefined {
    return this.db
      .prepare(`${SELECT} WHERE c.key_id = ? AND c.status = 'pending' ORDER BY c.id DESC LIMIT 1`)
      .get(keyId) as CsrRow | undefined;
  }

  /** Marks a CSR completed by `certificateId`. Run inside the import's transaction. */
  complete(csrId: number, certificateId: number): void {
    this.db
      .prepare(`UPDATE csrs SET status = 'completed', certificate_id = ? WHERE id = ?`)
      .run(certificateId, csrId);
  }

  /** Newest first. */
  list(limit = 1000): CsrRow[] {
    return this.db.prepare(`${SELECT} ORDER BY c.id DESC LIMIT ?`).all(limit) as CsrRow[];
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

import type Database from 'better-sqlite3';
import { searchTerms } from '../cert/search-terms.js';

/**
 * The search index of the inventory (table `certificate_search`, migration 3): the terms of
 * cert/search-terms.ts, one row each, with the certificate's status inputs copied beside them (expiry,
 * superseded, key) so a search can be counted per status from one index range without reading the
 * certificates. Triggers keep the copies right when a key is attached, a certificate is superseded or
 * deleted; this class writes the terms of a new certificate.
 */
export interface IndexedCertificate {
  id: number;
  name: string | null;
  common_name: string | null;
  subject_alt_names: string;
  issuer: string;
  serial_number: string;
  thumbprint_sha1: string;
  fingerprint_sha256: string;
  not_after: string;
  superseded_by_id: number | null;
  key_id: number | null;
}

export class CertificateSearchIndex {
  private readonly insertTerm: Database.Statement;
  private readonly deleteTerms: Database.Statement;

  constructor(db: Database.Database) {
    this.insertTerm = db.prepare(
      `INSERT OR IGNORE INTO certificate_search (term, certificate_id, lcp, not_after_ms, live, has_key)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.deleteTerms = db.prepare('DELETE FROM certificate_search WHERE certificate_id = ?');
  }

  /** Writes the terms of a certificate again after a field they come from changed (a rename). */
  replace(row: IndexedCertificate): void {
    this.deleteTerms.run(row.id);
    this.add(row);
  }

  /** Writes the terms of one certificate (inside the caller's transaction). */
  add(row: IndexedCertificate): void {
    const terms = searchTerms({
      name: row.name,
      commonName: row.common_name,
      subjectAltNames: JSON.parse(row.subject_alt_names) as string[],
      issuer: row.issuer,
      serialNumber: row.serial_number,
      thumbprintSha1: row.thumbprint_sha1,
      fingerprintSha256: row.fingerprint_sha256,
    });
    const notAfterMs = Date.parse(row.not_after);
    const live = row.superseded_by_id === null ? 1 : 0;
    const hasKey = row.key_id === null ? 0 : 1;
    for (const { term, lcp } of terms) this.insertTerm.run(term, row.id, lcp, notAfterMs, live, hasKey);
  }

  /** Indexes every stored certificate (the migration that creates the index, or a rebuild). */
  static rebuild(db: Database.Database): void {
    db.exec('DELETE FROM certificate_search');
    const index = new CertificateSearchIndex(db);
    // In batches: the connection cannot write while a statement is still iterating.
    const batch = db.prepare(
      `SELECT id, name, common_name, subject_alt_names, issuer, serial_number, thumbprint_sha1,
         fingerprint_sha256, not_after, superseded_by_id, key_id FROM certificates
       WHERE id > ? ORDER BY id LIMIT 1000`,
    );
    for (let after = 0; ; ) {
      const rows = batch.all(after) as IndexedCertificate[];
      if (rows.length === 0) break;
      for (const row of rows) index.add(row);
      after = rows[rows.length - 1]!.id;
    }
  }
}

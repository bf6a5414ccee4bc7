import { X509Certificate } from 'node:crypto';
import fp from 'fastify-plugin';
import { commonNameOf, fingerprintSha256, parseSubjectAltNames, thumbprintSha1 } from '../cert/identity.js';
import { describeKey } from '../cert/key-info.js';
import { certificateValidity } from '../cert/x509-info.js';
import type { Db } from '../db/open.js';
import { nowIso } from '../db/open.js';
import { CertificateSearchIndex } from './certificate-search.js';

/** One stored certificate row, as the routes read it. */
export interface CertificateRow {
  id: number;
  name: string | null;
  key_id: number | null;
  cert_der: Buffer;
  chain_pem: string;
  root_pem: string | null;
  subject: string;
  common_name: string | null;
  issuer: string;
  serial_number: string;
  subject_alt_names: string;
  san_text: string;
  not_before: string;
  not_after: string;
  key_type: string;
  key_size: number | null;
  curve: string | null;
  thumbprint_sha1: string;
  fingerprint_sha256: string;
  self_signed: number;
  report_json: string | null;
  previous_version_id: number | null;
  superseded_by_id: number | null;
  created_at: string;
}

export type StoredDer = Pick<CertificateRow, 'id' | 'cert_der' | 'chain_pem'>;

export interface NewCertificate {
  cert: X509Certificate;
  /** Intermediates, leaf side first; never the root. */
  chain: X509Certificate[];
  root?: X509Certificate | null;
  keyId: number | null;
  name?: string | null;
  report?: unknown;
  previousVersionId?: number | null;
}

const statements = (db: Db) => ({
  insert: db.prepare(
    `INSERT INTO certificates (name, key_id, cert_der, chain_pem, root_pem, subject, common_name, issuer,
       serial_number, subject_alt_names, san_text, not_before, not_after, key_type, key_size, curve,
       thumbprint_sha1, fingerprint_sha256, self_signed, report_json, previous_version_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ),
  get: db.prepare('SELECT * FROM certificates WHERE id = ?'),
  byFingerprint: db.prepare('SELECT * FROM certificates WHERE fingerprint_sha256 = ?'),
  attachKey: db.prepare(
    'UPDATE certificates SET key_id = ?, report_json = coalesce(?, report_json) WHERE id = ? AND key_id IS NULL',
  ),
  withoutKey: db.prepare(
    'SELECT id, cert_der, chain_pem FROM certificates WHERE key_id IS NULL ORDER BY id DESC',
  ),
  byKey: db.prepare('SELECT id, cert_der, chain_pem FROM certificates WHERE key_id = ? ORDER BY id DESC'),
  supersede: db.prepare('UPDATE certificates SET superseded_by_id = ? WHERE id = ?'),
  rename: db.prepare('UPDATE certificates SET name = ? WHERE id = ?'),
  delete: db.prepare('DELETE FROM certificates WHERE id = ?'),
  keyUsed: db.prepare('SELECT 1 FROM certificates WHERE key_id = ? LIMIT 1'),
  // Through the search index: only the certificates that hold this exact name (a term), not every current one.
  currentNamed: db.prepare(
    `SELECT c.id, c.name, c.common_name, c.not_after, c.subject_alt_names
       FROM certificate_search s JOIN certificates c ON c.id = s.certificate_id
      WHERE s.term = ? AND s.live = 1 AND c.fingerprint_sha256 != ? ORDER BY c.id DESC LIMIT ?`,
  ),
});

export type NamedCertificate = Pick<
  CertificateRow,
  'id' | 'name' | 'common_name' | 'not_after' | 'subject_alt_names'
>;

/** The certificates table. Every write is meant to run inside the caller's transaction. */
export class CertificateStore {
  private readonly sql: ReturnType<typeof statements>;
  private readonly search: CertificateSearchIndex;

  constructor(db: Db) {
    this.sql = statements(db);
    this.search = new CertificateSearchIndex(db);
  }

  /** Stores a certificate and its search terms (inside the caller's transaction). */
  insert(input: NewCertificate): number {
    const { cert } = input;
    const sans = parseSubjectAltNames(cert);
    const key = describeKey(cert.publicKey);
    const validity = certificateValidity(cert);
    const row = {
      name: input.name ?? null,
      common_name: commonNameOf(cert.subject),
      subject_alt_names: JSON.stringify(sans),
      issuer: cert.issuer ?? '',
      serial_number: cert.serialNumber.toUpperCase(),
      thumbprint_sha1: thumbprintSha1(cert),
      fingerprint_sha256: fingerprintSha256(cert),
      not_after: validity.notAfter.toISOString(),
      superseded_by_id: null,
      key_id: input.keyId,
    };
    const r = this.sql.insert.run(
      row.name,
      row.key_id,
      cert.raw,
      JSON.stringify(input.chain.map((c) => c.toString())),
      input.root ? input.root.toString() : null,
      cert.subject ?? '',
      row.common_name,
      row.issuer,
      row.serial_number,
      row.subject_alt_names,
      sans.join(' ').toLowerCase(),
      validity.notBefore.toISOString(),
      row.not_after,
      key.keyType,
      key.keySize,
      key.curve,
      row.thumbprint_sha1,
      row.fingerprint_sha256,
      cert.checkIssued(cert) ? 1 : 0,
      input.report === undefined ? null : JSON.stringify(input.report),
      input.previousVersionId ?? null,
      nowIso(),
    );
    const id = Number(r.lastInsertRowid);
    this.search.add({ id, ...row });
    return id;
  }

  get(id: number): CertificateRow | undefined {
    return this.sql.get.get(id) as CertificateRow | undefined;
  }

  /** Certificates not superseded, newest first, other than the one with this fingerprint. */
  /**
   * Current certificates (not superseded, not this fingerprint) with a name, CN or SAN whose search key is
   * exactly `term` (cert/search-terms.ts searchKey), newest first: the candidates a new leaf may replace.
   */
  currentNamed(term: string, fingerprintSha256Hex: string, limit: number): NamedCertificate[] {
    return this.sql.currentNamed.all(term, fingerprintSha256Hex, limit) as NamedCertificate[];
  }

  findByFingerprint(fingerprintSha256Hex: string): CertificateRow | undefined {
    return this.sql.byFingerprint.get(fingerprintSha256Hex.toUpperCase()) as CertificateRow | undefined;
  }

  /**
   * Gives a "pending key" certificate its key (and the report that paired them, when given); a
   * certificate that already has one keeps it.
   */
  attachKey(id: number, keyId: number, report?: unknown): void {
    this.sql.attachKey.run(keyId, report === undefined ? null : JSON.stringify(report), id);
  }

  /** The certificates waiting for their private key, newest first (few: each is a to-do). */
  withoutKey(): StoredDer[] {
    return this.sql.withoutKey.all() as StoredDer[];
  }

  /** The certificates that carry this stored key, newest first. */
  withKey(keyId: number): StoredDer[] {
    return this.sql.byKey.all(keyId) as StoredDer[];
  }

  /** Marks `id` superseded by `by` (null: no longer superseded). */
  setSupersededBy(id: number, by: number | null): void {
    this.sql.supersede.run(by, id);
  }

  delete(id: number): void {
    this.sql.delete.run(id);
  }

  /** Sets the display name (null: none, the common name is shown), and what the search finds it by. */
  rename(id: number, name: string | null): void {
    this.sql.rename.run(name, id);
    const row = this.get(id);
    if (row) this.search.replace(row);
  }

  /** Whether any stored certificate carries this private key. */
  usesKey(keyId: number): boolean {
    return this.sql.keyUsed.get(keyId) !== undefined;
  }

  /** PEM of the leaf, and of the chain to send in a TLS handshake (intermediates only, never the root). */
  pems(row: CertificateRow): { certPem: string; chainPems: string[] } {
    return {
      certPem: new X509Certificate(row.cert_der).toString(),
      chainPems: JSON.parse(row.chain_pem) as string[],
    };
  }
}

export default fp(
  async (fastify) => {
    fastify.decorate('certificates', new CertificateStore(fastify.db));
  },
  { name: 'certificates-repository', dependencies: ['db'] },
);

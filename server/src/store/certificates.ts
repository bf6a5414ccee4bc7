import { X509Certificate } from 'node:crypto';
import { commonNameOf, fingerprintSha256, parseSubjectAltNames, thumbprintSha1 } from '../cert/identity.js';
import { describeKey } from '../cert/key-info.js';
import { certificateValidity } from '../cert/x509-info.js';
import type { Db } from '../db/open.js';
import { nowIso } from '../db/open.js';

export { commonNameOf, fingerprintSha256, parseSubjectAltNames, thumbprintSha1 } from '../cert/identity.js';

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

/** Certificate storage. Every write is meant to run inside the caller's transaction. */
export class CertificateStore {
  constructor(private readonly db: Db) {}

  insert(input: NewCertificate): number {
    const { cert } = input;
    const sans = parseSubjectAltNames(cert);
    const key = describeKey(cert.publicKey);
    const r = this.db
      .prepare(
        `INSERT INTO certificates (name, key_id, cert_der, chain_pem, root_pem, subject, common_name, issuer,
           serial_number, subject_alt_names, san_text, not_before, not_after, key_type, key_size, curve,
           thumbprint_sha1, fingerprint_sha256, self_signed, report_json, previous_version_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        input.name ?? null,
        input.keyId,
        cert.raw,
        JSON.stringify(input.chain.map((c) => c.toString())),
        input.root ? input.root.toString() : null,
        cert.subject ?? '',
        commonNameOf(cert.subject),
        cert.issuer ?? '',
        cert.serialNumber.toUpperCase(),
        JSON.stringify(sans),
        sans.join(' ').toLowerCase(),
        certificateValidity(cert).notBefore.toISOString(),
        certificateValidity(cert).notAfter.toISOString(),
        key.keyType,
        key.keySize,
        key.curve,
        thumbprintSha1(cert),
        fingerprintSha256(cert),
        cert.checkIssued(cert) ? 1 : 0,
        input.report === undefined ? null : JSON.stringify(input.report),
        input.previousVersionId ?? null,
        nowIso(),
      );
    return Number(r.lastInsertRowid);
  }

  get(id: number): CertificateRow | undefined {
    return this.db.prepare('SELECT * FROM certificates WHERE id = ?').get(id) as CertificateRow | undefined;
  }

  findByFingerprint(fingerprintSha256Hex: string): CertificateRow | undefined {
    return this.db
      .prepare('SELECT * FROM certificates WHERE fingerprint_sha256 = ?')
      .get(fingerprintSha256Hex.toUpperCase()) as CertificateRow | undefined;
  }

  /** PEM of the leaf, and of the chain to send in a TLS handshake (intermediates only, never the root). */
  pems(row: CertificateRow): { certPem: string; chainPems: string[] } {
    return {
      certPem: new X509Certificate(row.cert_der).toString(),
      chainPems: JSON.parse(row.chain_pem) as string[],
    };
  }
}

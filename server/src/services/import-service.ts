import type { ImportedCertificate, ImportResponse } from '@certdesk/shared';
import type { IssuerFetcher } from '../cert/aia.js';
import { ipText, parseIp } from '../cert/general-names.js';
import { analyzeImport, blockedError, type ImportAnalysis, type ImportInput } from '../cert/import.js';
import { describeKey } from '../cert/key-info.js';
import { type CertInfo, certInfo } from '../cert/x509-info.js';
import type { Db } from '../db/open.js';
import { nowIso } from '../db/open.js';
import { AppError } from '../errors.js';
import type { CertificateStore } from '../store/certificates.js';
import type { PrivateKeyStore } from '../store/private-keys.js';

/**
 * Import = analyze (pure) + store in ONE transaction: key, certificate, learned intermediates, CSR
 * completion. A failure anywhere leaves the database exactly as it was.
 */

export interface ImportServiceDeps {
  db: Db;
  privateKeys: PrivateKeyStore;
  certificates: CertificateStore;
  serverNames: string[];
  fetcher: IssuerFetcher | null;
  includeMozilla?: boolean;
  expiryThresholds?: number[];
}

const sanKey = (v: string) => {
  const ip = parseIp(v);
  return ip ? `ip:${ipText(ip)}` : `dns:${v.toLowerCase()}`;
};

/**
 * The stored certificate a new leaf replaces: the one its renewal CSR names, else the newest current
 * certificate for exactly the same names.
 */
export function findReplaced(
  db: Db,
  leaf: CertInfo,
  csrId: number | null,
): { label: string; notAfter: Date } | null {
  type Row = {
    id: number;
    name: string | null;
    common_name: string | null;
    not_after: string;
    subject_alt_names: string;
  };
  let row: Row | undefined;
  if (csrId !== null) {
    row = db
      .prepare(
        'SELECT c.id, c.name, c.common_name, c.not_after, c.subject_alt_names FROM csrs r JOIN certificates c ON c.id = r.renews_certificate_id WHERE r.id = ?',
      )
      .get(csrId) as Row | undefined;
  }
  if (!row) {
    const names = [...new Set([...leaf.dnsNames, ...leaf.ipAddresses].map(sanKey))].sort().join(' ');
    if (!names) return null;
    const rows = db
      .prepare(
        'SELECT id, name, common_name, not_after, subject_alt_names FROM certificates WHERE superseded_by_id IS NULL AND fingerprint_sha256 != ? ORDER BY id DESC LIMIT 500',
      )
      .all(leaf.fingerprint) as Row[];
    row = rows.find((r) => {
      const stored = (JSON.parse(r.subject_alt_names) as string[]).map(sanKey);
      return [...new Set(stored)].sort().join(' ') === names;
    });
  }
  if (!row) return null;
  return { label: `#${row.id} "${row.name ?? row.common_name ?? ''}"`, notAfter: new Date(row.not_after) };
}

export function storedIntermediates(db: Db): CertInfo[] {
  const rows = db.prepare('SELECT cert_der FROM intermediates ORDER BY id').all() as { cert_der: Buffer }[];
  return rows.flatMap((r) => {
    try {
      return [certInfo(r.cert_der, 'stored intermediates')];
    } catch {
      return [];
    }
  });
}

export function enterpriseAnchors(db: Db): CertInfo[] {
  const rows = db.prepare('SELECT cert_der FROM trust_anchors ORDER BY id').all() as { cert_der: Buffer }[];
  return rows.flatMap((r) => {
    try {
      return [certInfo(r.cert_der, 'enterprise trust anchor')];
    } catch {
      return [];
    }
  });
}

function findStoredKey(
  db: Db,
  privateKeys: PrivateKeyStore,
  spkiHex: string,
): { keyId: number; csrId: number | null } | null {
  const ids = privateKeys.findBySpki(spkiHex);
  if (ids.length === 0) return null;
  // Prefer the key of a pending CSR: that is the one waiting for this certificate.
  for (const id of ids) {
    const csr = db
      .prepare("SELECT id FROM csrs WHERE key_id = ? AND status = 'pending' ORDER BY id DESC")
      .get(id) as { id: number } | undefined;
    if (csr) return { keyId: id, csrId: csr.id };
  }
  return { keyId: ids[0] as number, csrId: null };
}

function summary(a: ImportAnalysis, hasKey: boolean): ImportedCertificate {
  const k = a.leaf.keyInfo ?? describeKey(a.leaf.publicKey);
  return {
    name: a.name,
    subject: a.leaf.subject.replace(/\n/g, ', '),
    commonName: a.leaf.commonName,
    issuer: a.leaf.issuer.replace(/\n/g, ', '),
    serialNumber: a.leaf.serialNumber,
    subjectAltNames: [...a.leaf.dnsNames, ...a.leaf.ipAddresses],
    notBefore: a.leaf.notBefore.toISOString(),
    notAfter: a.leaf.notAfter.toISOString(),
    keyType: k.keyType,
    keySize: k.keySize,
    curve: k.curve,
    fingerprintSha256: a.leaf.fingerprint,
    selfSigned: a.leaf.selfSigned,
    hasKey,
  };
}

export async function importCertificate(
  input: ImportInput & { dryRun: boolean },
  deps: ImportServiceDeps,
): Promise<ImportResponse> {
  const { db } = deps;
  const analysis = await analyzeImport(input, {
    storedIntermediates: () => (input.chainMode === 'auto' ? storedIntermediates(db) : []),
    enterpriseAnchors: () => enterpriseAnchors(db),
    findStoredKey: (spki) => findStoredKey(db, deps.privateKeys, spki),
    serverNames: deps.serverNames,
    fetcher: deps.fetcher,
    includeMozilla: deps.includeMozilla,
    expiryThresholds: deps.expiryThresholds,
    findReplaced: (leaf, csrId) => findReplaced(db, leaf, csrId),
  });
  const existing = deps.certificates.findByFingerprint(analysis.leaf.fingerprint);
  const completesKey =
    existing !== undefined &&
    existing.key_id === null &&
    (analysis.key !== null || analysis.storedKeyId !== null);
  if (existing && !completesKey) {
    throw new AppError(
      'CERTIFICATE_EXISTS',
      `This certificate is already imported (id ${existing.id}, "${existing.name ?? existing.common_name ?? ''}").`,
      {
        status: 409,
        existingId: existing.id,
      },
    );
  }
  if (analysis.blocking) throw blockedError(analysis);
  const hasKey = analysis.key !== null || analysis.storedKeyId !== null;
  const chain = analysis.report.chain;
  if (completesKey) {
    // The certificate is stored as "pending key": this upload brings its key. Attach it, change nothing else.
    analysis.report.notes.push(
      `This certificate is already stored (#${existing.id}) without its private key; the key is added to it.`,
    );
    if (input.dryRun)
      return {
        id: null,
        dryRun: true,
        certificate: summary(analysis, hasKey),
        chain,
        report: analysis.report,
      };
    db.transaction(() => {
      const keyId = analysis.storedKeyId ?? deps.privateKeys.insert(analysis.key!);
      db.prepare('UPDATE certificates SET key_id = ? WHERE id = ? AND key_id IS NULL').run(
        keyId,
        existing.id,
      );
      if (analysis.csrId !== null) {
        db.prepare("UPDATE csrs SET status = 'completed', certificate_id = ? WHERE id = ?").run(
          existing.id,
          analysis.csrId,
        );
      }
    })();
    return {
      id: existing.id,
      dryRun: false,
      certificate: summary(analysis, hasKey),
      chain,
      report: analysis.report,
    };
  }
  if (input.dryRun)
    return { id: null, dryRun: true, certificate: summary(analysis, hasKey), chain, report: analysis.report };

  const id = db.transaction(() => {
    const keyId = analysis.storedKeyId ?? (analysis.key ? deps.privateKeys.insert(analysis.key) : null);
    let previousVersionId: number | null = null;
    if (analysis.csrId !== null) {
      const csr = db.prepare('SELECT renews_certificate_id FROM csrs WHERE id = ?').get(analysis.csrId) as
        | { renews_certificate_id: number | null }
        | undefined;
      previousVersionId = csr?.renews_certificate_id ?? null;
    }
    const certId = deps.certificates.insert({
      cert: analysis.leaf.x509,
      chain: analysis.chain.chain.map((c) => c.x509),
      // An intermediate trusted as an anchor is already in `chain` (it is sent to clients).
      root:
        analysis.chain.anchor &&
        analysis.chain.anchor !== analysis.leaf &&
        !analysis.chain.chain.includes(analysis.chain.anchor)
          ? analysis.chain.anchor.x509
          : null,
      keyId,
      name: analysis.name,
      report: analysis.report,
      previousVersionId,
    });
    if (analysis.csrId !== null) {
      db.prepare("UPDATE csrs SET status = 'completed', certificate_id = ? WHERE id = ?").run(
        certId,
        analysis.csrId,
      );
    }
    const learn = db.prepare(
      'INSERT OR IGNORE INTO intermediates (subject, fingerprint_sha256, cert_der, created_at) VALUES (?, ?, ?, ?)',
    );
    for (const c of analysis.chain.chain) learn.run(c.subject, c.fingerprint, c.der, nowIso());
    return certId;
  })();
  return { id, dryRun: false, certificate: summary(analysis, hasKey), chain, report: analysis.report };
}

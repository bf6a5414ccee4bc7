import type { ImportedCertificate, ImportResponse } from '@certdesk/shared';
import type { IssuerFetcher } from '../cert/aia.js';
import { ipText, parseIp } from '../cert/general-names.js';
import { analyzeImport, blockedError, type ImportAnalysis, type ImportInput } from '../cert/import.js';
import { describeKey } from '../cert/key-info.js';
import { type CertInfo, certInfo } from '../cert/x509-info.js';
import type { Db } from '../db/open.js';
import { AppError } from '../errors.js';
import type { CertificateRow, CertificateStore } from '../store/certificates.js';
import type { CsrStore } from '../store/csrs.js';
import type { IntermediateStore } from '../store/intermediates.js';
import type { PrivateKeyStore } from '../store/private-keys.js';
import type { TrustAnchorStore } from '../store/trust-anchors.js';

/**
 * Import = analyze (pure) + store in ONE transaction: key, certificate, learned intermediates, CSR
 * completion. A failure anywhere leaves the database exactly as it was.
 */

export interface ImportRepositories {
  /** For the transaction only: every read and write goes through the repositories. */
  db: Db;
  privateKeys: PrivateKeyStore;
  certificates: CertificateStore;
  csrs: CsrStore;
  intermediates: IntermediateStore;
  trustAnchors: TrustAnchorStore;
}

export interface ImportServiceDeps extends ImportRepositories {
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
  deps: Pick<ImportRepositories, 'certificates' | 'csrs'>,
  leaf: CertInfo,
  csrId: number | null,
): { label: string; notAfter: Date } | null {
  const renewed = csrId === null ? null : deps.csrs.renewsCertificateId(csrId);
  let row: CertificateRow | undefined = renewed === null ? undefined : deps.certificates.get(renewed);
  if (!row) {
    const names = [...new Set([...leaf.dnsNames, ...leaf.ipAddresses].map(sanKey))].sort().join(' ');
    if (!names) return null;
    row = deps.certificates.currentExcept(leaf.fingerprint, 500).find((r) => {
      const stored = (JSON.parse(r.subject_alt_names) as string[]).map(sanKey);
      return [...new Set(stored)].sort().join(' ') === names;
    });
  }
  if (!row) return null;
  return { label: `#${row.id} "${row.name ?? row.common_name ?? ''}"`, notAfter: new Date(row.not_after) };
}

/** Parses stored certificates; a row that no longer parses is skipped rather than failing the import. */
function parseStored(ders: Buffer[], source: string): CertInfo[] {
  return ders.flatMap((der) => {
    try {
      return [certInfo(der, source)];
    } catch {
      return [];
    }
  });
}

/** The repositories an import reads and writes, picked from a holder of all of them. */
export function importRepositories(from: ImportRepositories): ImportRepositories {
  const { db, privateKeys, certificates, csrs, intermediates, trustAnchors } = from;
  return { db, privateKeys, certificates, csrs, intermediates, trustAnchors };
}

function findStoredKey(
  deps: Pick<ImportServiceDeps, 'privateKeys' | 'csrs'>,
  spkiHex: string,
): { keyId: number; csrId: number | null } | null {
  const ids = deps.privateKeys.findBySpki(spkiHex);
  if (ids.length === 0) return null;
  // Prefer the key of a pending CSR: that is the one waiting for this certificate.
  for (const id of ids) {
    const csrId = deps.csrs.pendingIdForKey(id);
    if (csrId !== undefined) return { keyId: id, csrId };
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
    storedIntermediates: () =>
      input.chainMode === 'auto' ? parseStored(deps.intermediates.allDer(), 'stored intermediates') : [],
    enterpriseAnchors: () => parseStored(deps.trustAnchors.allDer(), 'enterprise trust anchor'),
    findStoredKey: (spki) => findStoredKey(deps, spki),
    serverNames: deps.serverNames,
    fetcher: deps.fetcher,
    includeMozilla: deps.includeMozilla,
    expiryThresholds: deps.expiryThresholds,
    findReplaced: (leaf, csrId) => findReplaced(deps, leaf, csrId),
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
      deps.certificates.attachKey(existing.id, keyId);
      if (analysis.csrId !== null) deps.csrs.complete(analysis.csrId, existing.id);
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
    const previousVersionId = analysis.csrId === null ? null : deps.csrs.renewsCertificateId(analysis.csrId);
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
    if (analysis.csrId !== null) deps.csrs.complete(analysis.csrId, certId);
    for (const c of analysis.chain.chain) deps.intermediates.learn(c.subject, c.fingerprint, c.der);
    return certId;
  })();
  return { id, dryRun: false, certificate: summary(analysis, hasKey), chain, report: analysis.report };
}

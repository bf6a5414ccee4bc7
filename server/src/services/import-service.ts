import { X509Certificate } from 'node:crypto';
import type { ImportedCertificate, ImportResponse } from '@certdesk/shared';
import type { IssuerFetcher } from '../cert/aia.js';
import type { UploadedFile } from '../cert/detect.js';
import { ipText, parseIp } from '../cert/general-names.js';
import { analyzeImport, blockedError, type ImportAnalysis, type ImportInput } from '../cert/import.js';
import { describeKey } from '../cert/key-info.js';
import { MAX_TERM_LENGTH, searchKey } from '../cert/search-terms.js';
import { type CertInfo, certInfo } from '../cert/x509-info.js';
import { cryptoPool } from '../compute/crypto-pool.js';
import type { Db } from '../db/open.js';
import { AppError } from '../errors.js';
import type { CertificateRow, CertificateStore, NamedCertificate, StoredDer } from '../store/certificates.js';
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
  let row: NamedCertificate | undefined = renewed === null ? undefined : deps.certificates.get(renewed);
  if (!row) {
    const sans = [...leaf.dnsNames, ...leaf.ipAddresses];
    const names = [...new Set(sans.map(sanKey))].sort().join(' ');
    if (!names) return null;
    // A certificate with exactly these names holds the first one as a search term: look only at those.
    const term = searchKey(sans[0]!).slice(0, MAX_TERM_LENGTH);
    row = deps.certificates.currentNamed(term, leaf.fingerprint, 500).find((r) => {
      const stored = (JSON.parse(r.subject_alt_names) as string[]).map(sanKey);
      return [...new Set(stored)].sort().join(' ') === names;
    });
  }
  if (!row) return null;
  return { label: `#${row.id} "${row.name ?? row.common_name ?? ''}"`, notAfter: new Date(row.not_after) };
}

/**
 * Stored intermediates and trust anchors, parsed once: every import (dry runs included) reads all of them,
 * and parsing a certificate costs about a millisecond of CPU. Keyed by the DER itself, so an entry can
 * never be stale; bounded, emptied when full.
 */
const parsedStored = new Map<string, CertInfo | null>();
const PARSED_STORED_MAX = 2_000;

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

/** parseStored for the certificates every import reads (stored intermediates, trust anchors), cached. */
function parseShared(ders: Buffer[], source: string): CertInfo[] {
  return ders.flatMap((der) => {
    const key = `${source}\n${der.toString('base64')}`;
    let info = parsedStored.get(key);
    if (info === undefined) {
      try {
        info = Object.freeze(certInfo(der, source));
      } catch {
        info = null;
      }
      if (parsedStored.size >= PARSED_STORED_MAX) parsedStored.clear();
      parsedStored.set(key, info);
    }
    return info ? [info] : [];
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

/** Parses one stored certificate and its chain for the analysis; null when the row no longer parses. */
function storedCertificate(row: StoredDer): { leaf: CertInfo; chain: CertInfo[] } | null {
  const [leaf] = parseStored([row.cert_der], `stored certificate #${row.id}`);
  if (!leaf) return null;
  const chainDer = (JSON.parse(row.chain_pem) as string[]).map((pem) => new X509Certificate(pem).raw);
  return { leaf, chain: parseStored(chainDer, `chain of certificate #${row.id}`) };
}

/**
 * The stored certificate a key alone belongs to: one waiting for its key first, else one that already
 * has it (the answer then says it is stored). Pending certificates are few, so comparing each is cheap.
 */
function findStoredCertificate(
  deps: Pick<ImportServiceDeps, 'privateKeys' | 'certificates'>,
  spkiHex: string,
): { leaf: CertInfo; chain: CertInfo[] } | null {
  for (const row of deps.certificates.withoutKey()) {
    const found = storedCertificate(row);
    if (found?.leaf.spki === spkiHex) return found;
  }
  for (const keyId of deps.privateKeys.findBySpki(spkiHex)) {
    const [row] = deps.certificates.withKey(keyId);
    const found = row ? storedCertificate(row) : null;
    if (found) return found;
  }
  return null;
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
    kdf: cryptoPool(),
    storedIntermediates: () =>
      input.chainMode === 'auto' ? parseShared(deps.intermediates.allDer(), 'stored intermediates') : [],
    enterpriseAnchors: () => parseShared(deps.trustAnchors.allDer(), 'enterprise trust anchor'),
    findStoredKey: (spki) => findStoredKey(deps, spki),
    findStoredCertificate: (spki) => findStoredCertificate(deps, spki),
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
  // The certificate is stored without its key and this upload brings a key that is not its own: the
  // wrong key is the news (the certificate being stored already is why a key was brought at all).
  if (existing?.key_id === null && !input.dryRun && analysis.blocking?.id === 'key-match')
    throw blockedError(analysis);
  if (existing && !completesKey) {
    // A dry run is a question ("what is this?"): answer it with the report and where it is stored.
    if (input.dryRun) {
      return {
        id: null,
        dryRun: true,
        certificate: summary(analysis, existing.key_id !== null),
        chain: analysis.report.chain,
        report: analysis.report,
        alreadyStored: { id: existing.id, name: existing.name ?? existing.common_name, addsKey: false },
      };
    }
    throw new AppError(
      'CERTIFICATE_EXISTS',
      `This certificate is already imported (id ${existing.id}, "${existing.name ?? existing.common_name ?? ''}").`,
      { existingId: existing.id, existingName: existing.name ?? existing.common_name },
    );
  }
  if (completesKey) return attachToStored(existing, analysis, input.dryRun, deps);
  if (analysis.blocking) throw blockedError(analysis);
  const hasKey = analysis.key !== null || analysis.storedKeyId !== null;
  const chain = analysis.report.chain;
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

/**
 * The certificate is stored as "pending key" and this upload brings its key: attach it (with the report
 * that paired them) and change nothing else. Only a key that does not match refuses it: the certificate
 * was accepted when it was imported, and whatever its checks say today is in the report.
 */
function attachToStored(
  existing: CertificateRow,
  analysis: ImportAnalysis,
  dryRun: boolean,
  deps: ImportRepositories,
): ImportResponse {
  if (analysis.blocking?.id === 'key-match') throw blockedError(analysis);
  analysis.report.notes.push(
    `This certificate is already stored (#${existing.id}) without its private key; the key is added to it.`,
  );
  const answer = {
    certificate: summary(analysis, true),
    chain: analysis.report.chain,
    report: analysis.report,
    alreadyStored: { id: existing.id, name: existing.name ?? existing.common_name, addsKey: true },
  };
  if (dryRun) return { id: null, dryRun: true, ...answer };
  deps.db.transaction(() => {
    const keyId = analysis.storedKeyId ?? deps.privateKeys.insert(analysis.key!);
    deps.certificates.attachKey(existing.id, keyId, analysis.report);
    if (analysis.csrId !== null) deps.csrs.complete(analysis.csrId, existing.id);
  })();
  return { id: existing.id, dryRun: false, ...answer };
}

/**
 * "Attach private key" on one certificate's page: the upload (a key file, or a PFX/bundle holding the
 * key) must hold the key of exactly this certificate. The stored certificate and its chain join the
 * upload, so the analysis and the report are those of a normal import.
 */
export async function attachPrivateKey(
  id: number,
  input: { files: UploadedFile[]; password: string; dryRun: boolean },
  deps: ImportServiceDeps,
): Promise<ImportResponse> {
  const row = deps.certificates.get(id);
  if (!row) throw new AppError('CERTIFICATE_NOT_FOUND');
  if (row.key_id !== null) throw new AppError('CERTIFICATE_HAS_KEY');
  const { certPem, chainPems } = deps.certificates.pems(row);
  const stored: UploadedFile = {
    name: `certificate #${id}`,
    data: Buffer.from([certPem, ...chainPems].join('\n')),
    role: 'file',
  };
  const analysis = await analyzeImport(
    { files: [...input.files, stored], password: input.password, chainMode: 'auto' },
    {
      kdf: cryptoPool(),
      storedIntermediates: () => parseShared(deps.intermediates.allDer(), 'stored intermediates'),
      enterpriseAnchors: () => parseShared(deps.trustAnchors.allDer(), 'enterprise trust anchor'),
      findStoredKey: (spki) => findStoredKey(deps, spki),
      serverNames: deps.serverNames,
      fetcher: deps.fetcher,
      includeMozilla: deps.includeMozilla,
    },
  );
  if (analysis.blocking?.id === 'key-match') throw blockedError(analysis);
  if (analysis.leaf.fingerprint !== row.fingerprint_sha256 || analysis.key === null) {
    throw AppError.inRequest(
      'KEY_MISMATCH',
      analysis.key === null && analysis.report.key.source === 'none'
        ? `The upload holds no private key. Choose the key file (or the PFX) of certificate #${id}.`
        : `The private key in the upload does not belong to certificate #${id}; it belongs to ${analysis.leaf.commonName ?? analysis.leaf.subject.replace(/\n/g, ', ')}.`,
      { report: analysis.report },
    );
  }
  return attachToStored(row, analysis, input.dryRun, deps);
}

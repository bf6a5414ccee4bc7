import type { KeyObject } from 'node:crypto';
import tls from 'node:tls';
import type { ChainCertificate, DroppedCertificate, ImportReport, ReportCheck } from '@certdesk/shared';
import type { IssuerFetcher } from './aia.js';
import { buildChain, type ChainResult } from './chain.js';
import {
  type DetectedFile,
  detectFile,
  type FoundCert,
  type FoundKey,
  MAX_CERTIFICATES,
  tooManyCertificates,
  type UploadedFile,
} from './detect.js';
import { CertError } from './errors.js';
import { describeKey, spkiSha256 } from './key-info.js';
import type { KdfRunner } from './pbe.js';
import { BLOCK_CODES, buildChecks, certLabel, isBlocked, type KeyState } from './report.js';
import { TrustStore } from './trust-store.js';
import type { CertInfo } from './x509-info.js';

/**
 * The import analysis, pure of storage and HTTP: detect every uploaded file, pick the leaf, pair it with
 * its key (uploaded, or a stored key found by public key), build and validate the chain, and write the
 * pre-flight report. The caller (import-service.ts) stores the result in one transaction.
 */

export interface ImportInput {
  files: UploadedFile[];
  password: string;
  chainMode: 'auto' | 'manual';
  name?: string | null;
  now?: Date;
}

export interface ImportDeps {
  /** Runs the password-based derivations of an encrypted PFX or key (the worker pool in production). */
  kdf: KdfRunner;
  /** Intermediates learned from earlier imports (automatic mode). */
  storedIntermediates: () => CertInfo[];
  /** Enterprise trust anchors; the Mozilla roots are added here. */
  enterpriseAnchors: () => CertInfo[];
  /** A stored private key with this public key (hex SHA-256 of the SPKI), if any. */
  findStoredKey: (spkiHex: string) => { keyId: number; csrId: number | null } | null;
  /**
   * A stored certificate with this public key, with its chain: an upload of a key alone is the key of a
   * certificate imported earlier without one ("pending key"). Absent: a key alone is refused.
   */
  findStoredCertificate?: (spkiHex: string) => { leaf: CertInfo; chain: CertInfo[] } | null;
  serverNames: string[];
  /** AIA downloads; null disables them. */
  fetcher: IssuerFetcher | null;
  /** Mozilla roots on (default) or off (tests that want only their own root). */
  includeMozilla?: boolean;
  /** Expiry warning thresholds in days (Settings); default [30, 14, 7]. */
  expiryThresholds?: number[];
  /** The stored certificate this leaf renews (by renewal CSR, or the same names), if any. */
  findReplaced?: (leaf: CertInfo, csrId: number | null) => { label: string; notAfter: Date } | null;
}

export interface ImportAnalysis {
  leaf: CertInfo;
  key: KeyObject | null;
  /** Set when the key is already stored (pending CSR key or earlier upload). */
  storedKeyId: number | null;
  csrId: number | null;
  chain: ChainResult;
  name: string | null;
  report: ImportReport;
  blocking: ReportCheck | undefined;
}

function keyLabel(key: FoundKey | KeyObject, source?: string): string {
  const k = describeKey('key' in key ? key.key : key);
  const size = k.keyType === 'rsa' ? `RSA ${k.keySize}` : `EC ${k.curve}`;
  const from = 'source' in key ? key.source : source;
  return from ? `${size} from ${from}` : size;
}

function chainEntry(c: CertInfo, role: ChainCertificate['role']): ChainCertificate {
  return {
    subject: c.subject.replace(/\n/g, ', '),
    commonName: c.commonName,
    issuer: c.issuer.replace(/\n/g, ', '),
    serialNumber: c.serialNumber,
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
    fingerprintSha256: c.fingerprint,
    source: c.source,
    role,
  };
}

/** Picks the end-entity certificate among everything uploaded. */
function pickLeaf(
  certs: FoundCert[],
  keys: FoundKey[],
  deps: ImportDeps,
): { leaf: FoundCert; key: FoundKey | null; stored: ReturnType<ImportDeps['findStoredKey']> } {
  const mains = certs.filter((c) => c.role === 'file');
  const ordered = [...mains, ...certs.filter((c) => c.role !== 'file')];
  // 1. A certificate that matches an uploaded key (PFX localKeyId first, then public key).
  for (const k of keys) {
    const spki = spkiSha256(k.key);
    const byId = k.localKeyId ? ordered.find((c) => c.localKeyId === k.localKeyId) : undefined;
    const match = byId && byId.info.spki === spki ? byId : ordered.find((c) => c.info.spki === spki);
    if (match) return { leaf: match, key: k, stored: deps.findStoredKey(spki) };
  }
  // 2. A certificate whose key is stored (a pending CSR made by certdesk).
  if (keys.length === 0) {
    for (const c of ordered) {
      const stored = deps.findStoredKey(c.info.spki);
      if (stored) return { leaf: c, key: null, stored };
    }
  }
  // 3. The certificate that issued none of the others, preferring a non-CA with DNS names.
  const issuesOther = (c: FoundCert) =>
    certs.some(
      (o) =>
        o !== c &&
        o.info.fingerprint !== c.info.fingerprint &&
        o.info.issuer === c.info.subject &&
        o.info.x509.checkIssued(c.info.x509),
    );
  const pool = (mains.length ? mains : certs).filter((c) => !issuesOther(c));
  const rank = (c: FoundCert) => (c.info.isCa ? 0 : 2) + (c.info.dnsNames.length ? 1 : 0);
  const leaf = [...(pool.length ? pool : certs)].sort((a, b) => rank(b) - rank(a))[0] as FoundCert;
  return { leaf, key: null, stored: null };
}

export async function analyzeImport(input: ImportInput, deps: ImportDeps): Promise<ImportAnalysis> {
  const now = input.now ?? new Date();
  if (input.files.length === 0) {
    throw new CertError('NO_FILE', 'Upload at least one file: the certificate, a bundle, a .p7b or a .pfx.');
  }
  // One file after the other: a failure names the first bad file, and PFX work is never doubled up.
  const detected: DetectedFile[] = [];
  let certificates = 0;
  for (const f of input.files) {
    const d = await detectFile(f, input.password, deps.kdf);
    certificates += d.certs.length;
    if (certificates > MAX_CERTIFICATES) throw tooManyCertificates('The upload', certificates);
    detected.push(d);
  }
  const certs = detected.flatMap((d) => d.certs);
  const keys = detected.flatMap((d) => d.keys);
  if (certs.length === 0) certs.push(...storedCertificateFor(keys, deps));

  const { leaf: leafFound, key: keyFound, stored } = pickLeaf(certs, keys, deps);
  const leaf = leafFound.info;
  if (!leaf.keyInfo) {
    throw new CertError(
      'UNSUPPORTED_KEY_TYPE',
      `${leaf.source}: the certificate "${leaf.commonName ?? leaf.subject}" has a ${leaf.publicKey.asymmetricKeyType ?? 'unknown'} key; TLS certificates here need RSA or ECDSA.`,
    );
  }

  // Key state: uploaded key that matches; stored key; a mismatching upload; or none.
  let keyState: KeyState = { kind: 'none' };
  let key: KeyObject | null = null;
  if (keyFound) {
    key = keyFound.key;
    keyState = confirmPair(leaf, key)
      ? { kind: 'match', description: keyLabel(keyFound) }
      : { kind: 'mismatch', description: keyLabel(keyFound) };
  } else if (keys.length) {
    keyState = { kind: 'mismatch', description: keys.map((k) => keyLabel(k)).join(', ') };
  } else if (stored) {
    keyState = {
      kind: 'match',
      description: `${keyLabel(leaf.publicKey, stored.csrId ? `the pending CSR #${stored.csrId}` : 'the key store')}`,
    };
  }

  // Chain.
  const uploadedOthers = certs.filter((c) => c.info.fingerprint !== leaf.fingerprint).map((c) => c.info);
  const pool =
    input.chainMode === 'manual' ? uploadedOthers : [...uploadedOthers, ...deps.storedIntermediates()];
  const enterprise = deps.enterpriseAnchors();
  const trust =
    deps.includeMozilla === false ? new TrustStore(enterprise) : TrustStore.withMozilla(enterprise);
  const chain = await buildChain({
    leaf,
    pool,
    trust,
    now,
    fetcher: input.chainMode === 'auto' ? deps.fetcher : null,
  });

  // Everything uploaded that is not the leaf or in the chain is dropped, and said why.
  const used = new Set([leaf.fingerprint, ...chain.chain.map((c) => c.fingerprint)]);
  const seen = new Set<string>();
  const dropped: DroppedCertificate[] = [];
  for (const c of certs) {
    const fp = c.info.fingerprint;
    const entry = (reason: string) =>
      dropped.push({
        file: c.info.source,
        subject: c.info.subject.replace(/\n/g, ', '),
        fingerprintSha256: fp,
        reason,
      });
    if (seen.has(fp)) entry('Duplicate: the same certificate was uploaded more than once.');
    else if (used.has(fp)) {
      seen.add(fp);
      continue;
    } else if (c.info.selfSigned || trust.isAnchor(c.info)) {
      entry(
        trust.isAnchor(c.info)
          ? 'Root certificate: a trust anchor, which clients already have; it is not sent in the chain.'
          : 'Root certificate: not sent in the chain (clients must already trust it). It is not a trust anchor here; add it under Trust anchors if it is your enterprise root.',
      );
    } else
      entry("Not part of this certificate's chain (unrelated, or an alternative path that was not needed).");
    seen.add(fp);
  }

  const checks = buildChecks({
    leaf,
    key: keyState,
    chain,
    serverNames: deps.serverNames,
    now,
    expiryThresholds: deps.expiryThresholds,
    replaces: deps.findReplaced?.(leaf, stored?.csrId ?? null) ?? null,
  });
  const report: ImportReport = {
    checks,
    blocked: false,
    chain: [
      chainEntry(leaf, 'leaf'),
      ...chain.chain.map((c) => chainEntry(c, 'intermediate')),
      ...(chain.anchor && chain.anchor !== leaf && !chain.chain.includes(chain.anchor)
        ? [chainEntry(chain.anchor, 'anchor')]
        : []),
    ],
    dropped,
    notes: chain.notes,
    key: {
      source: keyFound ? 'upload' : stored ? 'stored' : 'none',
      description: keyState.kind === 'none' ? null : keyState.description,
      csrId: stored?.csrId ?? null,
    },
  };
  const blocking = isBlocked(checks);
  report.blocked = blocking !== undefined;
  const friendly =
    certs.find((c) => c.info.fingerprint === leaf.fingerprint && c.friendlyName)?.friendlyName ?? null;
  return {
    leaf,
    key: keyState.kind === 'match' ? key : null,
    storedKeyId: keyState.kind === 'match' ? (stored?.keyId ?? null) : null,
    csrId: keyState.kind === 'match' ? (stored?.csrId ?? null) : null,
    chain,
    name: input.name?.trim() || friendly || leaf.commonName,
    report,
    blocking,
  };
}

/**
 * An upload of keys only: the stored certificate one of them belongs to, as if it had been uploaded
 * with them (its chain as intermediates), so the rest of the analysis and the report stay the same.
 */
function storedCertificateFor(keys: FoundKey[], deps: ImportDeps): FoundCert[] {
  for (const k of keys) {
    const stored = deps.findStoredCertificate?.(spkiSha256(k.key));
    if (!stored) continue;
    const found = (info: CertInfo, role: FoundCert['role']): FoundCert => ({
      info,
      role,
      friendlyName: null,
      localKeyId: null,
    });
    return [found(stored.leaf, 'file'), ...stored.chain.map((c) => found(c, 'intermediate'))];
  }
  throw new CertError(
    'NO_CERTIFICATE',
    keys.length
      ? 'The upload holds a private key but no certificate, and no stored certificate has this public key. Add the certificate file your CA sent.'
      : 'The upload holds no certificate. Add the certificate file your CA sent.',
  );
}

/** Public keys equal, and OpenSSL agrees the pair works in a TLS context. */
function confirmPair(leaf: CertInfo, key: KeyObject): boolean {
  if (spkiSha256(key) !== leaf.spki) return false;
  try {
    tls.createSecureContext({
      cert: leaf.x509.toString(),
      key: key.export({ type: 'pkcs8', format: 'pem' }) as string,
    });
    return true;
  } catch {
    return false;
  }
}

/** The error for a refused import: the code of the first blocking failure, its sentence, the report. */
export function blockedError(a: ImportAnalysis): CertError {
  const b = a.blocking as ReportCheck;
  const code = BLOCK_CODES[b.id];
  const message = b.id === 'key-match' ? b.message : `Import refused: ${b.message}`;
  // The upload is at fault, not stored data (which matters for KEY_MISMATCH: see `requestStatus`).
  const inRequest = true;
  return new CertError(code, message, { report: a.report, certificate: certLabel(a.leaf) }, inRequest);
}

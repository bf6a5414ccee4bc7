import { AIA_LIMITS, fetchIssuers, type IssuerFetcher } from './aia.js';
import { validatePath } from './path-validation.js';
import type { TrustStore } from './trust-store.js';
import { type CertInfo, issuedBy as verifyIssued } from './x509-info.js';

/**
 * Chain building: a depth-first search from the leaf over every candidate issuer (uploaded files,
 * stored intermediates, AIA downloads), trying alternatives (cross-signed intermediates share a
 * subject name), validating each complete path (path-validation.ts) and returning the first valid one.
 * When none is valid, the most complete attempt and its problems are returned for the report.
 * An anchor that is not self-signed (an intermediate the admin chose to trust) is still sent to
 * clients: it is part of `chain`, and also `anchor`.
 */

export interface ChainInput {
  leaf: CertInfo;
  pool: CertInfo[];
  trust: TrustStore;
  now: Date;
  /** Automatic mode only: download missing issuers from AIA URLs. */
  fetcher?: IssuerFetcher | null;
  /** 'web' (default) or 'rfc5280' (path-validation.ts). */
  profile?: 'web' | 'rfc5280';
  /** Refuse profile breaches browsers accept (lints) too: the conformance suites' reading. */
  strict?: boolean;
  maxIntermediates?: number;
}

export interface ChainResult {
  ok: boolean;
  /** What is sent to clients after the leaf, leaf side first; the anchor only when not self-signed. */
  chain: CertInfo[];
  anchor: CertInfo | null;
  problems: string[];
  /** RFC 5280 / CA/B profile breaches of the chosen path that browsers still accept (not strict). */
  lints: string[];
  notes: string[];
  /** Certificates downloaded from AIA URLs (kept when used). */
  fetched: CertInfo[];
}

const MAX_DEPTH = 8;
const MAX_STEPS = 500;

interface Attempt {
  path: CertInfo[];
  anchor: CertInfo | null;
  problems: string[];
  lints?: string[];
}

export async function buildChain(input: ChainInput): Promise<ChainResult> {
  const { leaf, trust, now } = input;
  const notes: string[] = [];
  const fetched: CertInfo[] = [];
  const pool = dedupe(input.pool.filter((c) => c.fingerprint !== leaf.fingerprint));
  const fetchedFor = new Set<string>();
  let hops = 0;
  let steps = 0;
  let best: Attempt | null = null;
  const issuedCache = new Map<string, boolean>();
  const issuedBy = (child: CertInfo, issuer: CertInfo) => {
    const key = `${child.fingerprint}>${issuer.fingerprint}`;
    let r = issuedCache.get(key);
    if (r === undefined) {
      r = verifyIssued(child, issuer);
      issuedCache.set(key, r);
    }
    return r;
  };
  const options = {
    at: now,
    profile: input.profile,
    maxIntermediates: input.maxIntermediates,
    // The report checks the leaf's own dates itself; strict (conformance) validation counts them here.
    leafDates: input.strict === true,
  };

  if (trust.isAnchor(leaf))
    return { ok: true, chain: [], anchor: leaf, problems: [], lints: [], notes, fetched };

  const better = (a: Attempt) => {
    // A complete path (reaching an anchor) beats an incomplete one; then the longer one.
    if (
      !best ||
      (a.anchor && !best.anchor) ||
      (!!a.anchor === !!best.anchor && a.path.length > best.path.length)
    )
      best = a;
  };

  const visit = async (path: CertInfo[]): Promise<Attempt | null> => {
    if (++steps > MAX_STEPS) return null;
    const cur = path[path.length - 1] as CertInfo;
    for (const anchor of trust.candidatesFor(cur)) {
      if (!issuedBy(cur, anchor)) continue;
      const f = validatePath([...path, anchor], options);
      const attempt = {
        path,
        anchor,
        problems: input.strict ? [...f.problems, ...f.lints] : f.problems,
        lints: input.strict ? [] : f.lints,
      };
      if (attempt.problems.length === 0) return attempt;
      better(attempt);
    }
    if (path.length > MAX_DEPTH) return null;
    const inPath = new Set(path.map((c) => c.fingerprint));
    const issuers = () =>
      pool
        .filter((c) => !inPath.has(c.fingerprint) && !trust.isAnchor(c) && !c.selfSigned && issuedBy(cur, c))
        // Currently valid first, then the one that lasts longest: the likeliest good path first.
        .sort((a, b) => score(b, now) - score(a, now));
    let next = issuers();
    if (
      next.length === 0 &&
      input.fetcher &&
      cur.caIssuersUrls.length &&
      hops < AIA_LIMITS.maxHops &&
      !fetchedFor.has(cur.fingerprint)
    ) {
      fetchedFor.add(cur.fingerprint);
      hops++;
      for (const c of await fetchIssuers(cur, input.fetcher, notes)) {
        if (!pool.some((p) => p.fingerprint === c.fingerprint)) {
          pool.push(c);
          fetched.push(c);
        }
      }
      next = issuers();
    }
    for (const issuer of next) {
      const found = await visit([...path, issuer]);
      if (found) return found;
    }
    if (next.length === 0) {
      const untrustedRoot = pool.find((c) => c.selfSigned && issuedBy(cur, c));
      const selfSigned = cur.selfSigned || untrustedRoot !== undefined;
      const end = untrustedRoot ?? cur;
      better({
        path,
        anchor: null,
        problems: [
          selfSigned
            ? `The path ends at "${name(end)}", a self-signed certificate that is not a trust anchor. If it is your own root, add it under Trust anchors; otherwise this chain cannot be trusted.`
            : `The issuer of "${name(cur)}" (${cur.issuer.replace(/\n/g, ', ') || 'an empty name'}) was not found${input.fetcher ? ' in the upload, the stored intermediates or its AIA URL' : ' among the uploaded intermediates'}. ${missingIssuerAdvice(cur)}`,
        ],
      });
    }
    return null;
  };

  const found = await visit([leaf]);
  if (found) {
    return {
      ok: true,
      chain:
        found.anchor && !found.anchor.selfSigned
          ? [...found.path.slice(1), found.anchor]
          : found.path.slice(1),
      anchor: found.anchor,
      problems: [],
      lints: found.lints ?? [],
      notes,
      fetched: fetched.filter((f) => found.path.includes(f)),
    };
  }
  const b = best as Attempt | null;
  return {
    ok: false,
    chain: b ? b.path.slice(1) : [],
    anchor: b?.anchor ?? null,
    problems: b ? b.problems : ['No issuer was found.'],
    lints: [],
    notes,
    fetched: [],
  };
}

/**
 * A missing issuer that is itself a root (no AIA to fetch, issuer named like a root CA) is a private
 * root the admin must trust, not an intermediate to upload.
 */
function missingIssuerAdvice(cur: CertInfo): string {
  if (cur.isCa && cur.caIssuersUrls.length === 0)
    return "If that issuer is your organisation's own root CA, add it under Trust anchors (/trust-anchors); if it is an intermediate, upload it with the certificate.";
  return 'Upload that intermediate certificate with the certificate; if the issuer is your private root CA, add it under Trust anchors (/trust-anchors) instead.';
}

function score(c: CertInfo, now: Date): number {
  const valid = now >= c.notBefore && now <= c.notAfter && c.isCa ? 1e15 : 0;
  return valid + c.notAfter.getTime();
}

function name(c: CertInfo): string {
  return c.commonName ?? (c.subject.replace(/\n/g, ', ') || `serial ${c.serialNumber}`);
}

function dedupe(certs: CertInfo[]): CertInfo[] {
  const seen = new Set<string>();
  return certs.filter((c) => {
    if (seen.has(c.fingerprint)) return false;
    seen.add(c.fingerprint);
    return true;
  });
}

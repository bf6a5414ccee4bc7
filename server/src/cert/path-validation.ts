import { constraintProblem, nameConstraintViolation } from './name-constraints.js';
import {
  certificateProfileFindings,
  type Findings,
  noFindings,
  signingKeyProblem,
  WEB_SIGNATURES,
} from './web-profile.js';
import { type CertInfo, EXT, SIGNATURE_ALGORITHMS } from './x509-info.js';

/**
 * RFC 5280 §6.1 path validation of one candidate path, leaf first and the trust anchor last, plus the
 * web PKI profile browsers apply (CA/Browser Forum Baseline Requirements as Chrome and Firefox enforce
 * them) when `profile` is 'web'. Signatures and name chaining were checked while the path was built
 * (x509-info issuedBy); this checks everything else on every link, at the given time (never the clock).
 * Returns the findings as sentences: `problems` (browsers refuse the path) and `lints` (RFC 5280 / CA/B
 * profile breaches browsers still accept); a path without problems is one browsers accept.
 *
 * Not here, because the report words them as checks of their own: the leaf's purpose (serverAuth EKU),
 * its key strength and the host names it covers (web-profile.ts serverAuthProblem, leafKeyProblem,
 * coversHost).
 */
export interface ValidationOptions {
  /** The validation time. Compared at whole seconds, as certificates state their dates. */
  at: Date;
  /** 'web' (default): RFC 5280 plus the CA/B Forum profile. 'rfc5280': the RFC alone (PKITS). */
  profile?: 'web' | 'rfc5280';
  /** Most intermediates allowed (self-issued ones not counted). */
  maxIntermediates?: number;
  /** Check the leaf's own dates too (default). The import report has checks of its own for them. */
  leafDates?: boolean;
}

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const ANY_EKU = '2.5.29.37.0';
const POLICY_CONSTRAINTS = '2.5.29.36';
const DAY = (d: Date) => d.toISOString().slice(0, 10);

export function label(c: CertInfo): string {
  return `"${c.commonName ?? (c.subject.replace(/\n/g, ', ') || `serial ${c.serialNumber}`)}"`;
}

/** Issuer and subject names equal: key rollover certificates, which path length and NC skip. */
export const selfIssued = (c: CertInfo) => c.subjectKey === c.issuerKey;

export function validatePath(path: CertInfo[], options: ValidationOptions): Findings {
  const web = (options.profile ?? 'web') === 'web';
  const at = Math.floor(options.at.getTime() / 1000) * 1000;
  const out = noFindings();
  const problems = out.problems;
  const last = path.length - 1;
  const intermediates = path.slice(1, last).filter((c) => !selfIssued(c)).length;
  if (options.maxIntermediates !== undefined && intermediates > options.maxIntermediates)
    problems.push(
      `The path needs ${intermediates} intermediates; at most ${options.maxIntermediates} are allowed.`,
    );

  path.forEach((cert, i) => {
    const who = label(cert);
    const role = i === 0 ? 'certificate' : i === last ? 'trust anchor' : 'intermediate';
    const dates = i > 0 || options.leafDates !== false;
    if (dates && at < cert.notBefore.getTime())
      problems.push(`The ${role} ${who} is not valid until ${DAY(cert.notBefore)}.`);
    if (dates && at > cert.notAfter.getTime())
      problems.push(
        i === 0
          ? `The certificate ${who} expired on ${DAY(cert.notAfter)}.`
          : `The ${role} ${who} expired on ${DAY(cert.notAfter)}; get the current one from your CA.`,
      );
    certificateProfileFindings(cert, { web, role: i === 0 ? 'leaf' : i === last ? 'anchor' : 'ca' }, out);
    if (i < last && web) {
      // The anchor's own self-signature is not part of the path; every other signature is.
      const alg = SIGNATURE_ALGORITHMS[cert.signatureAlgorithm];
      if (!WEB_SIGNATURES.has(cert.signatureAlgorithm))
        problems.push(
          `${who} is signed with ${alg?.name ?? cert.signatureAlgorithm}, which browsers refuse; ask the CA to reissue it with SHA-256 (RSA or ECDSA).`,
        );
    }
    if (i === 0) {
      if (cert.nameConstraints || cert.extensions.some((e) => e.oid === EXT.nameConstraints))
        problems.push(`${who} carries name constraints, which only a CA certificate may have.`);
      return;
    }
    caFindings(path, i, web, out);
  });
  return out;
}

/** What a CA certificate must be, by itself, to issue certificates (an intermediate or an anchor). */
function caShapeFindings(ca: CertInfo, web: boolean, out: Findings): void {
  const who = label(ca);
  if (!ca.isCa) {
    out.problems.push(
      `${who} is not a CA certificate (no basicConstraints CA:TRUE), so it cannot issue certificates; this path is invalid.`,
    );
  } else if (web && ca.basicConstraintsCritical === false && !ca.builtInRoot) {
    out.lints.push(
      `${who} has a basicConstraints extension that is not marked critical, which RFC 5280 requires of a CA.`,
    );
  }
  if (ca.keyCertSign === false)
    out.problems.push(`${who} has a keyUsage without keyCertSign, so it may not sign certificates.`);
  if (ca.emptySubject) out.problems.push(`${who} is a CA certificate with an empty subject name.`);
  if (web && ca.subjectKeyId === null && !ca.builtInRoot)
    out.lints.push(`${who} has no subjectKeyIdentifier, which a CA certificate must carry.`);
  if (web) {
    const key = signingKeyProblem(ca);
    if (key) out.problems.push(`${who}: ${key}`);
    if (ca.extKeyUsage && !ca.extKeyUsage.includes(SERVER_AUTH) && !ca.extKeyUsage.includes(ANY_EKU))
      out.problems.push(
        `${who} restricts its extended key usage to ${ca.extKeyUsage.join(', ')}, without serverAuth: certificates below it are not valid for TLS servers.`,
      );
  }
  if (ca.extensions.some((e) => e.oid === POLICY_CONSTRAINTS && !e.critical))
    out.lints.push(
      `${who} has a policyConstraints extension that is not marked critical (RFC 5280 requires it).`,
    );
}

/** Everything that refuses `cert` as a trust anchor by itself, whatever it would issue. */
export function anchorFindings(cert: CertInfo, web = true): Findings {
  const out = noFindings();
  certificateProfileFindings(cert, { web, role: 'anchor' }, out);
  caShapeFindings(cert, web, out);
  return out;
}

/** Both kinds of findings as one list (what a strict validator refuses). */
export function anchorProblems(cert: CertInfo, web = true): string[] {
  const f = anchorFindings(cert, web);
  return [...f.problems, ...f.lints];
}

/** What the CA at path[i] (an intermediate or the anchor) must be to issue what is below it. */
function caFindings(path: CertInfo[], i: number, web: boolean, findings: Findings): void {
  const ca = path[i] as CertInfo;
  const who = label(ca);
  caShapeFindings(ca, web, findings);
  const out = findings.problems;
  // Intermediates below this CA (the leaf does not count; self-issued CAs do not either).
  const below = path.slice(1, i).filter((c) => !selfIssued(c)).length;
  if (ca.pathLen !== null && below > ca.pathLen)
    out.push(
      `${who} allows at most ${ca.pathLen} intermediate(s) below it (pathLenConstraint) but the path has ${below}.`,
    );

  const nc = ca.nameConstraints;
  if (nc) {
    const critical = ca.extensions.find((e) => e.oid === EXT.nameConstraints)?.critical;
    if (!web && !critical) out.push(`${who} has a nameConstraints extension that is not marked critical.`);
    const bad = [...nc.permitted, ...nc.excluded].map(constraintProblem).find((p) => p !== null);
    if (bad) {
      out.push(`${who} has a malformed name constraint: ${bad}.`);
    } else {
      path.slice(0, i).forEach((sub, j) => {
        // Self-issued intermediates are exempt (key rollover); the leaf never is.
        if (j > 0 && selfIssued(sub)) return;
        const violation = nameConstraintViolation(sub, nc, label(sub));
        if (violation) out.push(`${who} does not allow ${violation}.`);
      });
    }
  }
}

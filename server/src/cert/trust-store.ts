import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { readCertificate } from './der.js';
import { canonicalNameOf } from './dn.js';
import { CertError } from './errors.js';
import { anchorFindings } from './path-validation.js';
import { type CertInfo, certInfo } from './x509-info.js';

/**
 * Trust anchors: Node's bundled Mozilla roots (tls.rootCertificates) plus the enterprise roots the admin
 * added (trust_anchors table), indexed by subject (RFC 5280 comparable form, dn.ts) for issuer look-ups. The Mozilla roots are indexed
 * with Node's fast X509Certificate once (~150 roots, a few ms) and fully parsed only when a chain
 * actually reaches one, so the first import after start does not pay for parsing them all.
 */
interface LazyRoot {
  pem: string;
  info: CertInfo | null | undefined; // undefined = not parsed yet; null = unreadable
}

let mozilla: { bySubject: Map<string, LazyRoot[]>; fingerprints: Set<string>; count: number } | null = null;

function mozillaIndex(): NonNullable<typeof mozilla> {
  if (!mozilla) {
    const bySubject = new Map<string, LazyRoot[]>();
    const fingerprints = new Set<string>();
    let count = 0;
    for (const pem of tls.rootCertificates) {
      try {
        const x = new X509Certificate(pem);
        fingerprints.add(x.fingerprint256.replace(/:/g, '').toUpperCase());
        const subject = canonicalNameOf(readCertificate(x.raw).subject);
        const list = bySubject.get(subject) ?? [];
        list.push({ pem, info: undefined });
        bySubject.set(subject, list);
        count++;
      } catch {
        // A root Node cannot read is simply not offered as an anchor.
      }
    }
    mozilla = { bySubject, fingerprints, count };
  }
  return mozilla;
}

export function mozillaRootCount(): number {
  return mozillaIndex().count;
}

function parsed(root: LazyRoot): CertInfo | null {
  if (root.info === undefined) {
    try {
      root.info = certInfo(new X509Certificate(root.pem).raw, 'Mozilla root store');
      root.info.builtInRoot = true;
    } catch {
      root.info = null;
    }
  }
  return root.info;
}

/** Every bundled Mozilla root, parsed (tests and diagnostics; imports parse only what they reach). */
export function mozillaRoots(): CertInfo[] {
  const out: CertInfo[] = [];
  for (const list of mozillaIndex().bySubject.values())
    for (const r of list) {
      const info = parsed(r);
      if (info) out.push(info);
    }
  return out;
}

export class TrustStore {
  private readonly bySubject = new Map<string, CertInfo[]>();
  private readonly fingerprints = new Set<string>();

  constructor(
    enterprise: CertInfo[],
    private readonly includeMozilla = false,
  ) {
    for (const a of enterprise) {
      this.fingerprints.add(a.fingerprint);
      const list = this.bySubject.get(a.subjectKey) ?? [];
      list.push(a);
      this.bySubject.set(a.subjectKey, list);
    }
  }

  /** Enterprise anchors first (so a private root wins), then the Mozilla roots. */
  static withMozilla(enterprise: CertInfo[]): TrustStore {
    return new TrustStore(enterprise, true);
  }

  isAnchor(cert: CertInfo): boolean {
    return (
      this.fingerprints.has(cert.fingerprint) ||
      (this.includeMozilla && mozillaIndex().fingerprints.has(cert.fingerprint))
    );
  }

  /** Anchors whose subject is this certificate's issuer name (signature not yet checked). */
  candidatesFor(cert: CertInfo): CertInfo[] {
    const own = this.bySubject.get(cert.issuerKey) ?? [];
    if (!this.includeMozilla) return own;
    const roots = (mozillaIndex().bySubject.get(cert.issuerKey) ?? [])
      .map(parsed)
      .filter((c): c is CertInfo => c !== null);
    return [...own, ...roots.filter((r) => !this.fingerprints.has(r.fingerprint))];
  }
}

/**
 * Whether an uploaded certificate may become a trust anchor. A CA certificate that is not self-signed
 * is an intermediate: it is accepted only when the admin says so explicitly (allowIntermediate), with
 * a warning, because chains ending at it are then trusted here without its issuer (and it must still be
 * sent to clients, chain.ts). Throws a CertError otherwise.
 */
export function vetTrustAnchor(
  cert: CertInfo,
  source: string,
  allowIntermediate: boolean,
): { warning: string | null } {
  const who = `"${cert.commonName ?? (cert.subject.replace(/\n/g, ', ') || `serial ${cert.serialNumber}`)}"`;
  if (!cert.isCa) {
    throw new CertError(
      'NOT_A_CA_CERTIFICATE',
      `${source}: ${who} is not a CA certificate (basicConstraints CA:TRUE is missing), so it cannot be a trust anchor.`,
    );
  }
  const { problems, lints } = anchorFindings(cert, true);
  if (problems.length) {
    throw new CertError(
      'TRUST_ANCHOR_UNUSABLE',
      `${source}: ${who} could never validate a certificate here: ${problems.join(' ')}`,
      { problems },
    );
  }
  const lintWarning = lints.length
    ? `${who} breaks the CA/Browser Forum profile in ways browsers accept from a private root: ${lints.join(' ')}`
    : null;
  if (cert.selfSigned) return { warning: lintWarning };
  const issuer = cert.issuer.replace(/\n/g, ', ') || 'an empty name';
  if (!allowIntermediate) {
    throw new CertError(
      'TRUST_ANCHOR_NOT_ROOT',
      `${source}: ${who} is not a root certificate: it was issued by "${issuer}". Add that root instead; or, to trust this intermediate CA on its own, send allowIntermediate=true.`,
      { issuer },
    );
  }
  return {
    warning: `${lintWarning ? `${lintWarning} ` : ''}${who} is an intermediate CA (issued by "${issuer}") trusted on its own: certificates it issued pass here without checking its issuer, and it is sent to clients in every chain built through it. Clients that do not trust "${issuer}" still refuse those chains.`,
  };
}

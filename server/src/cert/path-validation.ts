import type { CertInfo } from './x509-info.js';

/**
 * RFC 5280-style checks on one candidate path, leaf first and the trust anchor last. Signatures were
 * verified while the path was built (x509-info issuedBy); this checks everything else on every link:
 * validity, basicConstraints CA:TRUE and pathLenConstraint, keyUsage keyCertSign, DNS name constraints.
 * Returns the problems as sentences; an empty list means the path is valid.
 */
export function validatePath(path: CertInfo[], now: Date): string[] {
  const problems: string[] = [];
  for (let i = 1; i < path.length; i++) {
    const ca = path[i] as CertInfo;
    const who = `"${label(ca)}"`;
    const role = i === path.length - 1 ? 'trust anchor' : 'intermediate';
    if (now < ca.notBefore)
      problems.push(`The ${role} ${who} is not valid until ${ca.notBefore.toISOString().slice(0, 10)}.`);
    if (now > ca.notAfter)
      problems.push(
        `The ${role} ${who} expired on ${ca.notAfter.toISOString().slice(0, 10)}; get the current intermediate from your CA.`,
      );
    if (!ca.isCa) {
      problems.push(
        `${who} is not a CA certificate (no basicConstraints CA:TRUE), so it cannot issue certificates; this path is invalid.`,
      );
    }
    if (ca.keyCertSign === false)
      problems.push(`${who} has a keyUsage without keyCertSign, so it may not sign certificates.`);
    // Intermediates below this CA (the leaf does not count; self-issued CAs do not either).
    const below = path.slice(1, i).filter((c) => c.subject !== c.issuer).length;
    if (ca.pathLen !== null && below > ca.pathLen) {
      problems.push(
        `${who} allows at most ${ca.pathLen} intermediate(s) below it (pathLenConstraint) but the path has ${below}.`,
      );
    }
    if (ca.nameConstraints) {
      for (const sub of path.slice(0, i)) {
        for (const name of namesOf(sub, sub === path[0])) {
          const bad = nameViolation(name, ca.nameConstraints);
          if (bad) problems.push(`${who} does not allow the name "${name}" (${bad}).`);
        }
      }
    }
  }
  return problems;
}

function label(c: CertInfo): string {
  return c.commonName ?? c.subject.replace(/\n/g, ', ');
}

function namesOf(cert: CertInfo, isLeaf: boolean): string[] {
  if (cert.dnsNames.length) return cert.dnsNames;
  // A leaf without DNS SANs is named by its CN (clients that still read it apply constraints to it).
  return isLeaf && cert.commonName && /^[*a-z0-9.-]+$/i.test(cert.commonName) ? [cert.commonName] : [];
}

function withinSubtree(name: string, subtree: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  const s = subtree.toLowerCase().replace(/\.$/, '');
  if (s === '') return true;
  if (s.startsWith('.')) return n.endsWith(s);
  return n === s || n.endsWith(`.${s}`);
}

function nameViolation(name: string, nc: { permittedDns: string[]; excludedDns: string[] }): string | null {
  const excluded = nc.excludedDns.find((s) => withinSubtree(name, s));
  if (excluded !== undefined) return `excluded subtree ${excluded}`;
  if (nc.permittedDns.length && !nc.permittedDns.some((s) => withinSubtree(name, s))) {
    return `permitted only: ${nc.permittedDns.join(', ')}`;
  }
  return null;
}

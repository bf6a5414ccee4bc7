import crypto, { type X509Certificate } from 'node:crypto';

/** "DNS:a, IP Address:1.2.3.4" → ["a", "1.2.3.4"] */
export function parseSubjectAltNames(cert: X509Certificate): string[] {
  const raw = cert.subjectAltName;
  if (!raw) return [];
  return raw
    .split(/,\s*/)
    .map((part) => part.replace(/^(DNS|IP Address|email|URI):/, '').trim())
    .filter(Boolean);
}

/** The CN from Node's multi-line distinguished name. */
export function commonNameOf(dn: string | undefined): string | null {
  const line = (dn ?? '').split('\n').find((l) => l.startsWith('CN='));
  return line ? line.slice(3) : null;
}

/** Windows-style SHA-1 thumbprint: upper-case hex without separators. */
export function thumbprintSha1(cert: X509Certificate): string {
  return crypto.createHash('sha1').update(cert.raw).digest('hex').toUpperCase();
}

export function fingerprintSha256(cert: X509Certificate): string {
  return crypto.createHash('sha256').update(cert.raw).digest('hex').toUpperCase();
}

import crypto, { type X509Certificate } from 'node:crypto';
import { isIPv6, normalizeSubjectAltName } from '@certdesk/shared';
import { dnAttribute } from './display-text.js';

/**
 * "DNS:a, IP Address:1.2.3.4" → ["a", "1.2.3.4"]. Node prints IPv6 in full ("0:0:0:0:0:0:0:1"); it is
 * compressed here (RFC 5952, "::1"), the one form every page shows.
 */
export function parseSubjectAltNames(cert: X509Certificate): string[] {
  const raw = cert.subjectAltName;
  if (!raw) return [];
  return raw
    .split(/,\s*/)
    .map((part) => part.replace(/^(DNS|IP Address|email|URI):/, '').trim())
    .filter(Boolean)
    .map(compressIpv6);
}

/** An IPv6 address in its RFC 5952 form; anything else unchanged (host names keep their case). */
export function compressIpv6(value: string): string {
  return isIPv6(value) ? normalizeSubjectAltName(value) : value;
}

/**
 * The CN from Node's multi-line distinguished name, as written in the certificate (no RFC 2253 escapes).
 * Node leaves `subject`/`issuer` undefined for an empty name, which odd certificates do have.
 */
export function commonNameOf(dn: string | undefined): string | null {
  return dnAttribute(dn ?? '', 'CN');
}

/** Node prints DNs one attribute per line, most significant first; people read them "CN=…, O=…, C=…". */
export function oneLineDn(dn: string | undefined): string {
  return (dn ?? '').split('\n').filter(Boolean).reverse().join(', ');
}

/** Windows-style SHA-1 thumbprint: upper-case hex without separators. */
export function thumbprintSha1(cert: X509Certificate): string {
  return crypto.createHash('sha1').update(cert.raw).digest('hex').toUpperCase();
}

export function fingerprintSha256(cert: X509Certificate): string {
  return crypto.createHash('sha256').update(cert.raw).digest('hex').toUpperCase();
}

import { children, content, readCertificate, readTlv } from './der.js';

/**
 * When an ACME certificate renews (pure: dates in, dates out). RFC 9773 (ARI) names the certificate by
 * its issuer's key identifier and its serial number; without ARI a share of the lifetime decides.
 */

const AKI_OID = '2.5.29.35';

const base64url = (b: Buffer) => b.toString('base64url');

/**
 * RFC 9773 §4.1: base64url(AKI keyIdentifier) "." base64url(serial INTEGER content octets, sign byte
 * included). null when the certificate has no authority key identifier (ARI cannot name it).
 */
export function ariCertId(der: Buffer): string | null {
  const raw = readCertificate(der);
  const aki = raw.extensions.find((e) => e.oid === AKI_OID);
  if (!aki) return null;
  const seq = readTlv(aki.value, 0);
  // keyIdentifier is [0] IMPLICIT OCTET STRING, the first field when present.
  const keyId = children(aki.value, seq).find((t) => t.tag === 0x80);
  if (!keyId) return null;
  return `${base64url(content(aki.value, keyId))}.${base64url(raw.serial)}`;
}

/** Renew when `percent` of the lifetime is left (default 33: a 90-day certificate at day 60). */
export function dueByLifetime(notBefore: Date, notAfter: Date, percent: number): Date {
  const lifetime = notAfter.getTime() - notBefore.getTime();
  return new Date(notAfter.getTime() - (lifetime * percent) / 100);
}

/** RFC 9773 §4.2: a uniformly random time in the suggested window, so renewals spread out. */
export function pickInWindow(start: Date, end: Date, random: number): Date {
  return new Date(start.getTime() + Math.floor(random * (end.getTime() - start.getTime())));
}

export const RENEWAL_BACKOFF = { baseMs: 15 * 60_000, capMs: 12 * 3_600_000 };

/** Exponential back-off after `attempts` failures: 15 min, 30 min, 1 h … capped at 12 h. */
export function backoffMs(attempts: number, limits = RENEWAL_BACKOFF): number {
  return Math.min(limits.capMs, limits.baseMs * 2 ** Math.max(0, attempts - 1));
}

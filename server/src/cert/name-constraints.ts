import { attributeTexts, nameWithinSubtree, OID_EMAIL } from './dn.js';
import {
  describeGeneralName,
  type GeneralName,
  type NameConstraints,
  prefixLength,
} from './general-names.js';
import type { CertInfo } from './x509-info.js';

/**
 * RFC 5280 §4.2.1.10 name constraints for every name form: dNSName, iPAddress (IPv4 and IPv6 masks),
 * directoryName, rfc822Name and URI. A constraint on a form this console cannot evaluate (otherName…)
 * refuses any name of that form, as the RFC requires. Wildcard SANs are treated as the set of names they
 * stand for, so an excluded subtree they could reach refuses them (CVE-2025-61727).
 */

/** Beyond this many name × constraint comparisons per CA the path is refused (a quadratic blow-up). */
export const MAX_NAME_CHECKS = 1 << 20;

const DNS_LABELS = /^[a-z0-9-]+(\.[a-z0-9-]+)*$/i;

/** Why a constraint is malformed, or null. */
export function constraintProblem(c: GeneralName): string | null {
  switch (c.type) {
    case 'dns':
      return c.value === '' || DNS_LABELS.test(c.value)
        ? null
        : `the dNSName constraint "${c.value}" is not a DNS name (no wildcards or leading period)`;
    case 'ip':
      if (c.bytes.length !== 8 && c.bytes.length !== 32)
        return 'an iPAddress constraint is not an address and mask (8 or 32 octets)';
      return prefixLength(c.bytes.subarray(c.bytes.length / 2)) === null
        ? 'an iPAddress constraint has a mask that is not a CIDR prefix'
        : null;
    case 'email':
      return /^[\x21-\x7e]*$/.test(c.value) && (c.value.match(/@/g) ?? []).length <= 1
        ? null
        : `the rfc822Name constraint "${c.value}" is malformed`;
    case 'uri':
      return /^\.?[a-z0-9-]+(\.[a-z0-9-]+)*$/i.test(c.value)
        ? null
        : `the URI constraint "${c.value}" is not a host name`;
    default:
      return null;
  }
}

const lower = (s: string) => s.toLowerCase().replace(/\.$/, '');

function dnsWithin(name: string, base: string): boolean {
  const n = lower(name);
  const b = lower(base);
  return b === '' || n === b || n.endsWith(`.${b}`);
}

/** A name is `in` the subtree (all of it) or only `touches` it (a wildcard that could match inside). */
function dnsRelation(name: string, base: string): { in: boolean; touches: boolean } {
  if (name.startsWith('*.')) {
    const rest = name.slice(2);
    const inside = dnsWithin(rest, base);
    return { in: inside, touches: inside || lower(base).endsWith(`.${lower(rest)}`) };
  }
  const inside = dnsWithin(name, base);
  return { in: inside, touches: inside };
}

function ipWithin(addr: Buffer, c: Buffer): boolean {
  const half = c.length / 2;
  if (addr.length !== half) return false;
  for (let i = 0; i < half; i++) {
    const m = c[half + i] as number;
    if (((addr[i] as number) & m) !== ((c[i] as number) & m)) return false;
  }
  return true;
}

function hostWithin(host: string, c: string): boolean {
  const h = lower(host);
  const b = lower(c);
  return b.startsWith('.') ? h.endsWith(b) : h === b;
}

function emailWithin(mail: string, c: string): boolean | null {
  const at = mail.lastIndexOf('@');
  if (at <= 0 || mail.indexOf('@') !== at) return null;
  if (c.includes('@')) {
    const cat = c.lastIndexOf('@');
    return mail.slice(0, at) === c.slice(0, cat) && lower(mail.slice(at + 1)) === lower(c.slice(cat + 1));
  }
  return hostWithin(mail.slice(at + 1), c);
}

function uriHost(uri: string): string | null {
  const m = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(uri);
  return m?.[1] ? m[1] : null;
}

/** true/false, or null when the name cannot be compared with that constraint (refused either way). */
function within(name: GeneralName, c: GeneralName, excludedCheck: boolean): boolean | null {
  if (name.type === 'other' || c.type === 'other')
    return name.type === 'other' && c.type === 'other' && name.tag === c.tag ? null : false;
  if (name.type !== c.type) return false;
  switch (name.type) {
    case 'dns': {
      if (!/^(\*\.)?[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?$/i.test(name.value)) return null;
      const rel = dnsRelation(name.value, (c as { value: string }).value);
      return excludedCheck ? rel.touches : rel.in;
    }
    case 'ip':
      if (name.bytes.length !== 4 && name.bytes.length !== 16) return null;
      return ipWithin(name.bytes, (c as { bytes: Buffer }).bytes);
    case 'dir':
      return nameWithinSubtree(name.rdns, (c as { rdns: typeof name.rdns }).rdns);
    case 'email':
      return emailWithin(name.value, (c as { value: string }).value);
    case 'uri': {
      const host = uriHost(name.value);
      return host === null ? null : hostWithin(host, (c as { value: string }).value);
    }
  }
}

/** The names a CA's constraints apply to: SANs, the subject DN, and e-mail attributes without SANs. */
export function constrainedNames(cert: CertInfo): GeneralName[] {
  const names: GeneralName[] = [...(cert.altNames ?? [])];
  if (cert.subjectRdns?.length) {
    names.push({ type: 'dir', rdns: cert.subjectRdns });
    if (!cert.altNames)
      for (const mail of attributeTexts(cert.subjectRdns, OID_EMAIL))
        names.push({ type: 'email', value: mail });
  }
  return names;
}

function quotedName(n: GeneralName, of: string): string {
  const d = describeGeneralName(n);
  const colon = d.indexOf(':');
  const where = of ? ` of ${of}` : '';
  return n.type === 'other'
    ? `${d}${where}`
    : `the name "${d.slice(colon + 1)}" (${d.slice(0, colon)})${where}`;
}

/** The first violation of `nc` by the names of `cert`, as a sentence fragment; null when all fit. */
export function nameConstraintViolation(cert: CertInfo, nc: NameConstraints, of = ''): string | null {
  const quoted = (n: GeneralName) => quotedName(n, of);
  const names = constrainedNames(cert);
  const attributes = cert.subjectRdns?.reduce((n, rdn) => n + rdn.length, 0) ?? 0;
  if ((names.length + attributes) * (nc.permitted.length + nc.excluded.length) > MAX_NAME_CHECKS)
    return 'so many names and constraints that checking them is refused (a denial-of-service shape)';
  for (const name of names) {
    for (const c of nc.excluded) {
      const hit = within(name, c, true);
      if (hit === null)
        return `${describeGeneralName(name)} cannot be checked against the constraint on its form`;
      if (hit) return `${quoted(name)}: it is in the excluded subtree ${describeGeneralName(c)}`;
    }
    const sameForm = nc.permitted.filter((c) =>
      name.type === 'other' ? c.type === 'other' && c.tag === name.tag : c.type === name.type,
    );
    if (sameForm.length && !sameForm.some((c) => within(name, c, false) === true)) {
      return `${quoted(name)}: it is outside the permitted subtrees (${sameForm.map(describeGeneralName).join(', ')})`;
    }
  }
  return null;
}

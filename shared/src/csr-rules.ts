/**
 * The CSR field rules, written once and run by both the server (authoritative, 400 with `field`) and
 * the wizard (inline, as the admin types). Each check returns null when the value is fine, else a
 * sentence that says what is wrong and what to do.
 */

/** X.520 upper bounds (ub-common-name etc.); 64 for every subject field certdesk asks for. */
export const SUBJECT_FIELD_MAX = 64;
export const DNS_NAME_MAX = 253;
export const MAX_SUBJECT_ALT_NAMES = 100;

export const RSA_KEY_SIZES = [2048, 3072, 4096] as const;
export const EC_CURVES = ['P-256', 'P-384'] as const;

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

export function isIPv4(value: string): boolean {
  return IPV4.test(value);
}

/** RFC 4291 text forms, including "::" compression and a trailing dotted IPv4. */
export function isIPv6(value: string): boolean {
  if (!/^[0-9a-f:.]+$/i.test(value) || !value.includes(':')) return false;
  const parts = value.split('::');
  if (parts.length > 2) return false;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(parts[0] ?? '');
  const tail = parts.length === 2 ? groups(parts[1] ?? '') : [];
  const all = [...head, ...tail];
  let count = all.length;
  const last = all[all.length - 1];
  if (last?.includes('.')) {
    if (!isIPv4(last)) return false;
    count += 1; // a dotted IPv4 fills two groups
    all.pop();
  }
  if (!all.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return false;
  return parts.length === 2 ? count <= 7 : count === 8;
}

/** Why a host name is not usable in a certificate, or null. `what` names the field in the sentence. */
export function checkHostName(
  raw: string,
  what = 'The common name',
  maxLength = DNS_NAME_MAX,
): string | null {
  const value = raw.trim();
  if (value === '') return `${what} is empty. Enter a host name such as server.example.com.`;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value);
  if (scheme)
    return `${what} must not include a scheme ("${scheme[1]}://"). Enter only the host name, e.g. ${hostPart(value)}.`;
  if (/\s/.test(value)) return `${what} must not contain spaces.`;
  if (value.includes('/')) return `${what} must not include a path ("/…"). Enter only the host name.`;
  if (value.includes('@')) return `${what} must not include a user name or e-mail address ("@").`;
  if (isIPv4(value) || isIPv6(value) || isIPv6(value.replace(/^\[|\]$/g, ''))) {
    return `${what} is an IP address; put IP addresses in the subject alternative names and use a host name here.`;
  }
  if (/:\d*$/.test(value))
    return `${what} must not include a port (":${value.split(':').pop()}"). Enter only the host name.`;
  if (value.includes(':')) return `${what} must not contain ":".`;
  if (value.length > maxLength)
    return `${what} is ${value.length} characters long; the limit is ${maxLength}.`;
  if (value.startsWith('.') || value.endsWith('.') || value.includes('..')) {
    return `${what} has an empty label (a leading, trailing or doubled dot).`;
  }
  const labels = value.split('.');
  const wildcard = labels[0] === '*';
  if (value.includes('*') && (!wildcard || labels.slice(1).some((l) => l.includes('*')))) {
    return `${what} has a misplaced "*": a wildcard must be the whole first label, as in *.example.com.`;
  }
  const rest = wildcard ? labels.slice(1) : labels;
  // A single-label name (intranet, localhost) is allowed: internal CAs issue it. hostNameWarning says
  // that public CAs do not. A wildcard over a single label would cover a whole top-level domain.
  if (wildcard && rest.length < 2) {
    return `${what} is too broad: a wildcard needs at least two labels after "*.", as in *.example.com.`;
  }
  for (const label of rest) {
    if (label.length > 63) return `${what} has a label longer than 63 characters ("${label.slice(0, 20)}…").`;
    if ([...label].some((ch) => ch.charCodeAt(0) > 0x7f))
      return `${what} contains non-ASCII characters; enter internationalised names in their xn-- (punycode) form.`;
    if (!LABEL.test(label)) {
      return label.startsWith('-') || label.endsWith('-')
        ? `${what} has a label that starts or ends with "-" ("${label}").`
        : `${what} contains characters a host name cannot have ("${label}"); use letters, digits, "-" and ".".`;
    }
  }
  if (/^\d+$/.test(rest[rest.length - 1] ?? ''))
    return `${what} ends in a numeric label; a domain name ends in letters.`;
  return null;
}

function hostPart(value: string): string {
  return value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/:?#]/)[0] || 'server.example.com';
}

/**
 * The common name. It may be left empty when the alternative names carry the host names (the CA/Browser
 * Forum requirements allow a subject without CN; clients read the SANs). It holds at most 64 characters
 * (X.520): a longer name belongs in the SANs, which take up to 253.
 */
export function checkCommonName(value: string, subjectAltNames: readonly string[] = []): string | null {
  const v = value.trim();
  if (v === '') {
    return subjectAltNames.some((s) => s.trim() !== '')
      ? null
      : 'Enter a common name, or leave it empty and enter the host names as subject alternative names.';
  }
  if (v.length > SUBJECT_FIELD_MAX && checkHostName(v, 'The common name') === null) {
    return `The common name is ${v.length} characters long; a certificate's CN holds at most ${SUBJECT_FIELD_MAX}. Put the full name in the subject alternative names (up to ${DNS_NAME_MAX} characters) and enter a shorter name here, or leave it empty.`;
  }
  return checkHostName(v, 'The common name', SUBJECT_FIELD_MAX);
}

/**
 * A valid name that public CAs refuse while internal CAs (Active Directory Certificate Services and the
 * like) issue it: a single-label name or localhost. A warning, never an error. Null for anything else.
 */
export function hostNameWarning(value: string): string | null {
  const v = value.trim().toLowerCase();
  if (v === '' || isIPv4(v) || isIPv6(v)) return null;
  if (v === 'localhost' || v.endsWith('.localhost')) {
    return `"${v}" names the local machine: public CAs refuse it. An internal CA can issue it, and only clients on the same machine reach it by that name.`;
  }
  if (!v.includes('.')) {
    return `"${v}" is a single-label name: public CAs refuse it (it is not a registered domain). Internal CAs, such as Active Directory Certificate Services, issue it.`;
  }
  return null;
}

/** A subject alternative name: a DNS name (wildcard allowed), an IPv4 or an IPv6 address. */
export function checkSubjectAltName(value: string): string | null {
  const v = value.trim();
  if (isIPv4(v) || isIPv6(v)) return null;
  if (/^\d+(\.\d+){1,3}$/.test(v)) return `"${v}" is not a valid IPv4 address (four parts, each 0–255).`;
  if (/^[0-9a-f:.]+$/i.test(v) && (v.match(/:/g)?.length ?? 0) >= 2)
    return `"${v}" is not a valid IPv6 address.`;
  return checkHostName(v, `The alternative name "${v}"`);
}

/** State, locality, organization, unit: optional, but when given at least one character and at most 64. */
export function checkSubjectText(value: string, label: string): string | null {
  const v = value.trim();
  if (v === '') return `${label} is empty; leave the field out or enter at least one character.`;
  if (v.length > SUBJECT_FIELD_MAX)
    return `${label} is ${v.length} characters long; the limit is ${SUBJECT_FIELD_MAX}.`;
  if ([...v].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f))
    return `${label} contains control characters.`;
  return null;
}

/** `isCountry` answers from the ISO 3166-1 alpha-2 list (the server's, from i18n-iso-countries). */
export function checkCountry(value: string, isCountry: (code: string) => boolean): string | null {
  const v = value.trim().toUpperCase();
  if (/^[A-Z]{3}$/.test(v))
    return `The country must be a two-letter ISO 3166-1 code (e.g. US, DE), not the three-letter "${v}".`;
  if (!/^[A-Z]{2}$/.test(v)) return 'The country must be a two-letter ISO 3166-1 code, such as US or DE.';
  if (!isCountry(v)) return `"${v}" is not an ISO 3166-1 country code.`;
  return null;
}

/** Canonical form of a SAN, for storage and de-duplication: DNS lower-cased, IPv6 compressed. */
export function normalizeSubjectAltName(value: string): string {
  const v = value.trim();
  if (isIPv4(v)) return v;
  if (isIPv6(v)) return compressIPv6(v);
  return v.toLowerCase();
}

function compressIPv6(v: string): string {
  const [head = '', tail] = v.toLowerCase().split('::');
  const expand = (s: string) =>
    (s === '' ? [] : s.split(':')).flatMap((g) => {
      if (!g.includes('.')) return [g];
      const n = g.split('.').map(Number);
      return [((n[0]! << 8) | n[1]!).toString(16), ((n[2]! << 8) | n[3]!).toString(16)];
    });
  const h = expand(head);
  const t = tail === undefined ? [] : expand(tail);
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t].map((g) =>
    parseInt(g, 16).toString(16),
  );
  // RFC 5952: compress the longest run (≥ 2) of zero groups, the first one on a tie.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best === -1) return groups.join(':');
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

/** The SAN list a CSR gets: the CN first when missing (and given), then the rest, duplicates removed. */
export function mergeSubjectAltNames(commonName: string, sans: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of [commonName, ...sans]) {
    const n = normalizeSubjectAltName(raw);
    if (n === '' || seen.has(n)) continue;
    seen.add(n);
    out.push(n);
  }
  return out;
}

/** The warnings of a CSR's names (common name and SANs), each name once: see hostNameWarning. */
export function csrNameWarnings(commonName: string, subjectAltNames: readonly string[]): string[] {
  const warnings = mergeSubjectAltNames(commonName, subjectAltNames).map(hostNameWarning);
  return warnings.filter((w): w is string => w !== null);
}

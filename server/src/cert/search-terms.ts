/**
 * What the inventory search finds a certificate by (issue 15): host names (CN, SANs, a wildcard SAN
 * matching the host names it covers), the name given at import, the issuer's attribute values, and the
 * serial number, SHA-1 thumbprint and SHA-256 fingerprint.
 *
 * A search is "starts with" on a word: each text is stored once per word it contains, from that word to
 * the end ("portal12.example.com" is stored as itself, "example.com" and "com"), so a query matches at
 * the start of any word: "portal", "example.com", "api1201.example", "Issuing CA". The hex identifiers
 * are stored whole: a prefix finds them. Queries and terms are compared as `searchKey` makes them:
 * lower case, without spaces and colons ("AB:CD" and "ab cd" find the same thumbprint).
 *
 * Each term also carries `lcp`, the length of the prefix it shares with the previous term of the same
 * certificate (terms sorted). The terms of one certificate that start with a query form a run in that
 * order, and only the first of the run shares fewer than `query.length` characters with its predecessor:
 * counting terms with `lcp < query.length` counts each matching certificate exactly once, in a single
 * index range scan, without collecting ids.
 */
export interface SearchSource {
  name: string | null;
  commonName: string | null;
  subjectAltNames: readonly string[];
  /** Node's multi-line distinguished name ("C=US\nO=Example\nCN=Example CA"). */
  issuer: string;
  serialNumber: string;
  thumbprintSha1: string;
  fingerprintSha256: string;
}

export interface SearchTerm {
  term: string;
  lcp: number;
}

/** Longer terms are cut: a query is at most 200 characters. */
export const MAX_TERM_LENGTH = 200;

/** The form both terms and queries are compared in. */
export function searchKey(text: string): string {
  return text.toLowerCase().replace(/[\s:]+/g, '');
}

/**
 * A query as an administrator pastes it, reduced to what the terms hold: the host of a URL
 * ("https://api.example.com:8443/login" → "api.example.com"), a host without its root dot, a hex
 * identifier without the label openssl prints before it ("SHA256 Fingerprint=AB:CD…") or a "0x".
 */
export function queryKey(query: string): string {
  let q = query.trim();
  const url = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]+\]|[^:/?#]+)/i.exec(q);
  if (url) q = url[1]!.replace(/^\[|\]$/g, '');
  q = q.replace(/^(?:sha-?(?:1|256)\s+)?fingerprint\s*=\s*/i, '').replace(/^0x(?=[0-9a-f])/i, '');
  if (/^[^\s]+\.$/.test(q) && !q.endsWith('..')) q = q.slice(0, -1);
  return searchKey(q);
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** The text from the start of each word to its end: "a-b.c" → "a-b.c", "b.c", "c". */
export function wordSuffixes(text: string): string[] {
  const out: string[] = [];
  const chars = Array.from(text);
  for (let i = 0; i < chars.length; i++) {
    const startsWord = WORD_CHAR.test(chars[i]!) && (i === 0 || !WORD_CHAR.test(chars[i - 1]!));
    if (i === 0 || startsWord) out.push(chars.slice(i).join(''));
  }
  return out;
}

/** The attribute values of a multi-line DN ("CN=Example CA" → "Example CA"). */
function dnValues(dn: string): string[] {
  return dn
    .split('\n')
    .map((line) => line.slice(line.indexOf('=') + 1).trim())
    .filter(Boolean);
}

function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** The search terms of one certificate, sorted, each with its `lcp`. */
export function searchTerms(source: SearchSource): SearchTerm[] {
  const texts = [
    source.name,
    source.commonName,
    ...source.subjectAltNames,
    ...dnValues(source.issuer),
  ].filter((t): t is string => !!t);
  const keys = new Set<string>();
  for (const text of texts) {
    for (const suffix of wordSuffixes(text)) {
      const key = searchKey(suffix).slice(0, MAX_TERM_LENGTH);
      if (key) keys.add(key);
    }
  }
  for (const hex of [source.serialNumber, source.thumbprintSha1, source.fingerprintSha256]) {
    const key = searchKey(hex);
    if (key) keys.add(key);
  }
  const sorted = [...keys].sort();
  return sorted.map((term, i) => ({ term, lcp: i === 0 ? 0 : commonPrefixLength(sorted[i - 1]!, term) }));
}

/**
 * The bounds of the terms that start with `key`: [key, the next string after every such term). Works on
 * SQLite's BINARY (UTF-8 byte) order: the last code point is incremented.
 */
export function prefixRange(key: string): { lo: string; hi: string } {
  const points = Array.from(key);
  while (points.length > 0) {
    const last = points.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      // Skip the surrogate range: it has no code points of its own.
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
      return { lo: key, hi: points.join('') + String.fromCodePoint(next) };
    }
  }
  return { lo: key, hi: '\u{10ffff}\u{10ffff}' };
}

/**
 * The wildcard name that covers a host name: "foo.apps.example.com" → "*.apps.example.com" (as a search
 * key), or null when the query is no host name of at least three labels.
 */
export function coveringWildcard(key: string): string | null {
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+){2,}$/.test(key)) return null;
  return `*${key.slice(key.indexOf('.'))}`;
}

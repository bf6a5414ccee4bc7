import { children, content, decodeOid, readTlv } from './der.js';

/**
 * Distinguished names as RFC 5280 §7.1 compares them: attribute by attribute, strings case-folded and
 * with white space compressed (RFC 4518, simplified to what real names use), RDN order significant.
 * Used for issuer/subject chaining and for directoryName name constraints.
 */

export interface Attribute {
  oid: string;
  /** Comparable form: folded text for string types, hex of the whole value for anything else. */
  canonical: string;
  /** Text for string types, null otherwise. */
  text: string | null;
}

export type Rdn = Attribute[];

const STRING_TAGS = new Set([0x0c, 0x13, 0x16, 0x14, 0x1e, 0x1c, 0x1a, 0x12]);

function decodeString(tag: number, b: Buffer): string {
  if (tag === 0x1e) {
    let s = '';
    for (let i = 0; i + 1 < b.length; i += 2) s += String.fromCharCode(b.readUInt16BE(i));
    return s;
  }
  if (tag === 0x1c) {
    let s = '';
    for (let i = 0; i + 3 < b.length; i += 4)
      s += String.fromCodePoint(Math.min(b.readUInt32BE(i), 0x10ffff));
    return s;
  }
  if (tag === 0x14) return b.toString('latin1');
  return b.toString('utf8');
}

const fold = (s: string) => s.normalize('NFKC').toLowerCase().trim().replace(/\s+/g, ' ');

/** Parses a Name (whole TLV). Throws on malformed DER. */
export function parseName(der: Buffer): Rdn[] {
  const name = readTlv(der, 0);
  if (name.tag !== 0x30) throw new Error('Name is not a SEQUENCE');
  return children(der, name).map((set) => {
    if (set.tag !== 0x31) throw new Error('RDN is not a SET');
    return children(der, set).map((ava) => {
      const [type, value] = children(der, ava);
      if (type?.tag !== 0x06 || !value) throw new Error('bad attribute');
      const raw = content(der, value);
      const text = STRING_TAGS.has(value.tag) ? decodeString(value.tag, raw) : null;
      const canonical =
        text !== null ? `s:${fold(text)}` : `x:${der.subarray(value.start, value.end).toString('hex')}`;
      return { oid: decodeOid(content(der, type)), canonical, text };
    });
  });
}

const rdnKey = (rdn: Rdn) =>
  rdn
    .map((a) => `${a.oid}=${a.canonical}`)
    .sort()
    .join('+');

/** A string that is equal for two names exactly when RFC 5280 says the names match. */
export function canonicalName(rdns: Rdn[]): string {
  return JSON.stringify(rdns.map(rdnKey));
}

/** Same as canonicalName, straight from DER; an unreadable name compares by its bytes. */
export function canonicalNameOf(der: Buffer): string {
  try {
    return canonicalName(parseName(der));
  } catch {
    return `raw:${der.toString('hex')}`;
  }
}

/** directoryName constraint: the name starts with every RDN of the subtree base (RFC 5280 §4.2.1.10). */
export function nameWithinSubtree(name: Rdn[], base: Rdn[]): boolean {
  if (base.length > name.length) return false;
  return base.every((rdn, i) => rdnKey(rdn) === rdnKey(name[i] as Rdn));
}

export const OID_CN = '2.5.4.3';
export const OID_EMAIL = '1.2.840.113549.1.9.1';

export function attributeTexts(rdns: Rdn[], oid: string): string[] {
  return rdns.flatMap((rdn) =>
    rdn.filter((a) => a.oid === oid && a.text !== null).map((a) => a.text as string),
  );
}

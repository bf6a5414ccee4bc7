import { children, content, readTlv, type Tlv } from './der.js';
import { parseName, type Rdn } from './dn.js';

/**
 * GeneralName (RFC 5280 §4.2.1.6) read straight from DER, for subjectAltName and name constraints.
 * Forms this console does not evaluate (otherName, x400Address, ediPartyName, registeredID) are kept
 * as `other` so a constraint on them can still be honoured by refusing the name.
 */
export type GeneralName =
  | { type: 'dns'; value: string }
  | { type: 'email'; value: string }
  | { type: 'uri'; value: string }
  | { type: 'ip'; bytes: Buffer }
  | { type: 'dir'; rdns: Rdn[] }
  | { type: 'other'; tag: number };

function ia5(b: Buffer): string {
  return b.toString('latin1');
}

function generalName(der: Buffer, t: Tlv): GeneralName {
  switch (t.tag) {
    case 0x81:
      return { type: 'email', value: ia5(content(der, t)) };
    case 0x82:
      return { type: 'dns', value: ia5(content(der, t)) };
    case 0x86:
      return { type: 'uri', value: ia5(content(der, t)) };
    case 0x87:
      return { type: 'ip', bytes: Buffer.from(content(der, t)) };
    case 0xa4: {
      const inner = children(der, t)[0];
      if (!inner) throw new Error('empty directoryName');
      return { type: 'dir', rdns: parseName(der.subarray(inner.start, inner.end)) };
    }
    case 0xa0:
    case 0xa3:
    case 0xa5:
    case 0x88:
      return { type: 'other', tag: t.tag };
    default:
      throw new Error(`unknown GeneralName tag ${t.tag}`);
  }
}

/** GeneralNames (a SEQUENCE), e.g. the subjectAltName extension value. Throws when malformed. */
export function parseGeneralNames(der: Buffer): GeneralName[] {
  const seq = readTlv(der, 0);
  if (seq.tag !== 0x30 || seq.end !== der.length) throw new Error('GeneralNames is not one SEQUENCE');
  return children(der, seq).map((t) => generalName(der, t));
}

export interface NameConstraints {
  permitted: GeneralName[];
  excluded: GeneralName[];
}

/** The nameConstraints extension value. Throws when malformed (including empty subtree lists). */
export function parseNameConstraints(der: Buffer): NameConstraints {
  const seq = readTlv(der, 0);
  if (seq.tag !== 0x30 || seq.end !== der.length) throw new Error('NameConstraints is not one SEQUENCE');
  const out: NameConstraints = { permitted: [], excluded: [] };
  const parts = children(der, seq);
  if (parts.length === 0) throw new Error('NameConstraints has neither permitted nor excluded subtrees');
  for (const part of parts) {
    if (part.tag !== 0xa0 && part.tag !== 0xa1) throw new Error('unexpected field in NameConstraints');
    const subtrees = children(der, part);
    if (subtrees.length === 0) throw new Error('empty GeneralSubtrees');
    for (const st of subtrees) {
      if (st.tag !== 0x30) throw new Error('GeneralSubtree is not a SEQUENCE');
      const [base, ...rest] = children(der, st);
      if (!base) throw new Error('GeneralSubtree without a base');
      // minimum must be 0 and maximum absent (RFC 5280: "MUST NOT be used").
      if (rest.some((r) => r.tag === 0xa1 || (r.tag === 0x80 && content(der, r).some((b) => b !== 0))))
        throw new Error('GeneralSubtree with minimum/maximum');
      (part.tag === 0xa0 ? out.permitted : out.excluded).push(generalName(der, base));
    }
  }
  return out;
}

/** Text for a person: "DNS:example.com", "IP:192.0.2.0/24". */
export function describeGeneralName(n: GeneralName): string {
  switch (n.type) {
    case 'dns':
      return `DNS:${n.value}`;
    case 'email':
      return `email:${n.value}`;
    case 'uri':
      return `URI:${n.value}`;
    case 'ip':
      return `IP:${formatIp(n.bytes)}`;
    case 'dir':
      return `DirName:${n.rdns.map((r) => r.map((a) => a.text ?? '#').join('+')).join(',')}`;
    default:
      return `a name of an unsupported form (tag ${n.tag})`;
  }
}

export function formatIp(b: Buffer): string {
  const addr = (x: Buffer) => (x.length === 4 || x.length === 16 ? ipText(x) : x.toString('hex'));
  if (b.length === 8 || b.length === 32) {
    const half = b.length / 2;
    return `${addr(b.subarray(0, half))}/${prefixLength(b.subarray(half)) ?? `mask ${addr(b.subarray(half))}`}`;
  }
  return addr(b);
}

/** RFC 5952 text of a 4- or 16-octet address: dotted quad, or lower-case hex with the longest zero run as "::". */
export function ipText(x: Buffer): string {
  if (x.length === 4) return [...x].join('.');
  if (x.length !== 16) return x.toString('hex');
  const groups = Array.from({ length: 8 }, (_, i) => x.readUInt16BE(i * 2));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hexes = groups.map((g) => g.toString(16));
  if (best < 0) return hexes.join(':');
  return `${hexes.slice(0, best).join(':')}::${hexes.slice(best + bestLen).join(':')}`;
}

/** CIDR prefix length of a netmask, or null when the mask is not contiguous ones then zeros. */
export function prefixLength(mask: Buffer): number | null {
  let bits = 0;
  let seenZero = false;
  for (const byte of mask) {
    for (let i = 7; i >= 0; i--) {
      const one = (byte >> i) & 1;
      if (one && seenZero) return null;
      if (one) bits++;
      else seenZero = true;
    }
  }
  return bits;
}

/** "192.0.2.1" / "2001:db8::1" → bytes; null when not an IP address literal. */
export function parseIp(text: string): Buffer | null {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const parts = v4.slice(1).map(Number);
    return parts.every((p) => p <= 255) ? Buffer.from(parts) : null;
  }
  if (!text.includes(':') || !/^[0-9a-f:.]+$/i.test(text)) return null;
  let head = text;
  let tailV4: Buffer | null = null;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tailV4 = parseIp(text.slice(lastColon + 1));
    if (!tailV4) return null;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const left = groups(halves[0] as string);
  const right = halves.length === 2 ? groups(halves[1] as string) : [];
  const fill = 8 - left.length - right.length;
  if ((halves.length === 1 && fill !== 0) || (halves.length === 2 && fill < 1)) return null;
  const all = [...left, ...Array(halves.length === 2 ? fill : 0).fill('0'), ...right];
  if (all.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return null;
  const out = Buffer.alloc(16);
  for (const [i, g] of all.entries()) out.writeUInt16BE(Number.parseInt(g, 16), i * 2);
  if (tailV4) tailV4.copy(out, 12);
  return out;
}

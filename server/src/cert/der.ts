/**
 * A minimal DER reader for the parts of a certificate that the schema parsers smooth over: the raw
 * names (for RFC 5280 name chaining and directoryName constraints), the raw validity strings (a
 * GeneralizedTime of year 0 or 9999 must be read as written), the serial number's octets and each
 * extension with its criticality, even when the extension's own content is malformed.
 * Every read is bounds-checked; anything out of shape throws a plain Error the caller maps.
 */

export interface Tlv {
  tag: number;
  /** Offset of the tag byte in the buffer. */
  start: number;
  /** Offset of the first content byte. */
  valueStart: number;
  end: number;
}

export function readTlv(buf: Buffer, offset: number, limit = buf.length): Tlv {
  if (offset + 2 > limit) throw new Error('DER: truncated header');
  const tag = buf[offset] as number;
  if ((tag & 0x1f) === 0x1f) throw new Error('DER: multi-byte tags are not used in certificates');
  let len = buf[offset + 1] as number;
  let valueStart = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || valueStart + n > limit) throw new Error('DER: bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (buf[valueStart + i] as number);
    valueStart += n;
  }
  const end = valueStart + len;
  if (end > limit) throw new Error('DER: content runs past its container');
  return { tag, start: offset, valueStart, end };
}

/** The TLVs directly inside a constructed TLV. */
export function children(buf: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  let p = parent.valueStart;
  while (p < parent.end) {
    const t = readTlv(buf, p, parent.end);
    out.push(t);
    p = t.end;
  }
  return out;
}

/**
 * How many TLVs `buf` holds, constructed ones opened (iteratively: depth costs no stack). Stops once
 * past `max`, so a parser bomb costs no more than the limit. Throws on malformed DER like readTlv.
 */
export function countElements(buf: Buffer, max: number): number {
  let count = 0;
  const pending: [number, number][] = [[0, buf.length]];
  for (let range = pending.pop(); range && count <= max; range = pending.pop()) {
    let p = range[0];
    while (p < range[1] && count <= max) {
      const t = readTlv(buf, p, range[1]);
      count++;
      if (t.tag & 0x20) pending.push([t.valueStart, t.end]);
      p = t.end;
    }
  }
  return count;
}

export const bytes = (buf: Buffer, t: Tlv) => buf.subarray(t.start, t.end);
export const content = (buf: Buffer, t: Tlv) => buf.subarray(t.valueStart, t.end);

export function decodeOid(b: Buffer): string {
  if (b.length === 0) throw new Error('DER: empty OID');
  const parts: number[] = [];
  let v = 0;
  for (const byte of b) {
    v = v * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  const first = parts.shift() as number;
  const a = first < 80 ? Math.floor(first / 40) : 2;
  return [a, first - a * 40, ...parts].join('.');
}

export interface RawExtension {
  oid: string;
  critical: boolean;
  /** The extnValue OCTET STRING's content (the extension's own DER). */
  value: Buffer;
  /** The whole Extension SEQUENCE. */
  der: Buffer;
}

/** The OID of an AlgorithmIdentifier (whole TLV). */
export function algorithmOid(alg: Buffer): string {
  const seq = readTlv(alg, 0);
  const oid = children(alg, seq)[0];
  if (!oid || oid.tag !== TAG.OID) throw new Error('DER: AlgorithmIdentifier without an OID');
  return decodeOid(content(alg, oid));
}

export interface RawTbs {
  version: number; // 1, 2 or 3
  serial: Buffer; // the INTEGER's content octets, sign byte included
  innerSignatureAlgorithm: Buffer; // tbsCertificate.signature, whole TLV
  outerSignatureAlgorithm: Buffer; // Certificate.signatureAlgorithm, whole TLV
  issuer: Buffer; // Name, whole TLV
  subject: Buffer;
  notBefore: { tag: number; text: string };
  notAfter: { tag: number; text: string };
  /** The OID naming the subject public key's algorithm. */
  publicKeyAlgorithm: string;
  extensions: RawExtension[];
}

const TAG = { SEQ: 0x30, INT: 0x02, BOOL: 0x01, OCTET: 0x04, OID: 0x06, UTC: 0x17, GEN: 0x18 };

/** Splits a DER certificate into the fields above. Throws on a structure that is not a certificate. */
export function readCertificate(der: Buffer): RawTbs {
  const cert = readTlv(der, 0);
  if (cert.tag !== TAG.SEQ) throw new Error('DER: not a SEQUENCE');
  const [tbs, outerAlg] = children(der, cert);
  if (!tbs || !outerAlg || tbs.tag !== TAG.SEQ) throw new Error('DER: no tbsCertificate');
  const f = children(der, tbs);
  let i = 0;
  let version = 1;
  if (f[0]?.tag === 0xa0) {
    const v = children(der, f[0])[0];
    if (!v || v.tag !== TAG.INT) throw new Error('DER: bad version');
    version = (content(der, v).readUIntBE(0, Math.min(6, v.end - v.valueStart)) || 0) + 1;
    i = 1;
  }
  const [serial, sigAlg, issuer, validity, subject, spki] = f.slice(i, i + 6);
  if (!serial || serial.tag !== TAG.INT || !sigAlg || !issuer || !validity || !subject || !spki)
    throw new Error('DER: tbsCertificate is missing fields');
  const [nb, na] = children(der, validity);
  if (!nb || !na) throw new Error('DER: bad validity');
  const extensions: RawExtension[] = [];
  const extWrapper = f.slice(i + 5).find((t) => t.tag === 0xa3);
  if (extWrapper) {
    const seq = children(der, extWrapper)[0];
    if (!seq) throw new Error('DER: empty extensions wrapper');
    for (const e of children(der, seq)) {
      const parts = children(der, e);
      const oid = parts[0];
      if (!oid || oid.tag !== TAG.OID) throw new Error('DER: extension without an OID');
      let critical = false;
      let valueTlv = parts[1];
      if (valueTlv?.tag === TAG.BOOL) {
        critical = der[valueTlv.valueStart] !== 0;
        valueTlv = parts[2];
      }
      if (!valueTlv || valueTlv.tag !== TAG.OCTET) throw new Error('DER: extension without a value');
      extensions.push({
        oid: decodeOid(content(der, oid)),
        critical,
        value: Buffer.from(content(der, valueTlv)),
        der: Buffer.from(bytes(der, e)),
      });
    }
  }
  const time = (t: Tlv) => ({ tag: t.tag, text: content(der, t).toString('latin1') });
  return {
    version,
    serial: Buffer.from(content(der, serial)),
    innerSignatureAlgorithm: Buffer.from(bytes(der, sigAlg)),
    outerSignatureAlgorithm: Buffer.from(bytes(der, outerAlg)),
    issuer: Buffer.from(bytes(der, issuer)),
    subject: Buffer.from(bytes(der, subject)),
    notBefore: time(nb),
    notAfter: time(na),
    publicKeyAlgorithm: algorithmOid(Buffer.from(bytes(der, children(der, spki)[0] ?? spki))),
    extensions,
  };
}

/**
 * UTCTime (YYMMDDHHMMSSZ; 50–99 → 19xx) or GeneralizedTime (YYYYMMDDHHMMSS[.fff]Z) as a Date, with the
 * year exactly as written (Date.UTC would map years 0–99 to 1900–1999). null when not a valid time.
 */
export function parseTime(tag: number, text: string): Date | null {
  const m =
    tag === TAG.UTC
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/.exec(text)
      : tag === TAG.GEN
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d+)?Z$/.exec(text)
        : null;
  if (!m) return null;
  let year = Number(m[1]);
  if (tag === TAG.UTC) year += year >= 50 ? 1900 : 2000;
  const [mo = 0, d = 0, h = 0, mi = 0, s = 0] = [m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  const date = new Date(0);
  date.setUTCFullYear(year, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  return Number.isNaN(date.getTime()) ? null : date;
}

import crypto, { type KeyObject } from 'node:crypto';

/**
 * Certificates assembled DER field by DER field, for the shapes openssl refuses to make: empty names,
 * year 0 or 9999, malformed or duplicated extensions, odd serials, explicit versions. Signed for real
 * (ECDSA P-256 / SHA-256 unless told), so only the intended oddity differs from a valid certificate.
 */

function lengthBytes(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v % 256);
  return Buffer.from([0x80 | out.length, ...out]);
}

export const tlv = (tag: number, ...parts: Buffer[]) => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), lengthBytes(body.length), body]);
};
export const seq = (...p: Buffer[]) => tlv(0x30, ...p);
export const set = (...p: Buffer[]) => tlv(0x31, ...p);
export const octets = (b: Buffer) => tlv(0x04, b);
export const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
export const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
export const ia5 = (tag: number, s: string) => tlv(tag, Buffer.from(s, 'latin1'));

export function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number) as number[];
  const bytes = [40 * (a as number) + (b as number)];
  for (const n of rest) {
    const chunk: number[] = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

export function integer(n: number | Buffer): Buffer {
  if (Buffer.isBuffer(n)) return tlv(0x02, n);
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let b = Buffer.from(hex, 'hex');
  if ((b[0] as number) & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

const ATTR: Record<string, string> = {
  CN: '2.5.4.3',
  O: '2.5.4.10',
  C: '2.5.4.6',
  E: '1.2.840.113549.1.9.1',
};

/** name([['CN', 'x'], ['O', 'y']]) — one attribute per RDN, in order; name([]) is the empty name. */
export function name(attrs: [string, string][]): Buffer {
  return seq(
    ...attrs.map(([t, v]) => set(seq(oid(ATTR[t] ?? t), t === 'C' ? tlv(0x13, Buffer.from(v)) : utf8(v)))),
  );
}

export const utcTime = (text: string) => tlv(0x17, Buffer.from(text, 'latin1'));
export const generalizedTime = (text: string) => tlv(0x18, Buffer.from(text, 'latin1'));

export interface Ext {
  oid: string;
  critical?: boolean;
  value: Buffer;
}
export const ext = (o: string, value: Buffer, critical = false): Ext => ({ oid: o, value, critical });

export const EXT = {
  basicConstraints: (ca: boolean, pathLen?: number, critical = true) =>
    ext(
      '2.5.29.19',
      seq(...(ca ? [bool(true)] : []), ...(pathLen === undefined ? [] : [integer(pathLen)])),
      critical,
    ),
  keyUsage: (bits: number, critical = true) => {
    // bits: digitalSignature=0x80, keyCertSign=0x04, cRLSign=0x02 (first octet, MSB first)
    return ext('2.5.29.15', tlv(0x03, Buffer.from([0x00, bits])), critical);
  },
  eku: (oids: string[], critical = false) => ext('2.5.29.37', seq(...oids.map(oid)), critical),
  san: (names: Buffer[], critical = false) => ext('2.5.29.17', seq(...names), critical),
  ski: (id: Buffer) => ext('2.5.29.14', octets(id)),
  aki: (id: Buffer) => ext('2.5.29.35', seq(tlv(0x80, id))),
  nameConstraints: (permitted: Buffer[], excluded: Buffer[], critical = true) =>
    ext(
      '2.5.29.30',
      seq(
        ...(permitted.length ? [tlv(0xa0, ...permitted.map((b) => seq(b)))] : []),
        ...(excluded.length ? [tlv(0xa1, ...excluded.map((b) => seq(b)))] : []),
      ),
      critical,
    ),
};
export const KU = { digitalSignature: 0x80, keyCertSign: 0x04, cRLSign: 0x02 };
export const dns = (s: string) => ia5(0x82, s);
export const email = (s: string) => ia5(0x81, s);
export const uri = (s: string) => ia5(0x86, s);
export const ip = (bytes: number[]) => tlv(0x87, Buffer.from(bytes));
export const dirName = (n: Buffer) => tlv(0xa4, n);
export const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

export interface Party {
  key: KeyObject; // private
  publicKey: KeyObject;
  keyId: Buffer;
  name: Buffer;
}

export function party(subject: Buffer, curve = 'P-256'): Party {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: curve });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return {
    key: privateKey,
    publicKey,
    keyId: crypto.createHash('sha1').update(spki).digest(),
    name: subject,
  };
}

export interface CertFields {
  version?: number; // 1..3
  serial?: Buffer;
  issuer?: Buffer;
  subject: Buffer;
  notBefore?: Buffer;
  notAfter?: Buffer;
  subjectKey: KeyObject;
  /** A raw SubjectPublicKeyInfo instead of subjectKey's (an algorithm nobody knows). */
  spki?: Buffer;
  extensions?: Ext[];
  /** AlgorithmIdentifier OID inside tbsCertificate, when it should differ from the outer one. */
  innerAlgorithm?: string;
}

const ECDSA_SHA256 = '1.2.840.10045.4.3.2';

/** Signs the fields with `signer` (its own key for a self-signed certificate) and returns the DER. */
export function buildCert(f: CertFields, signer: { key: KeyObject; name: Buffer }): Buffer {
  const version = f.version ?? 3;
  const tbs = seq(
    ...(version === 1 ? [] : [tlv(0xa0, integer(version - 1))]),
    integer(f.serial ?? crypto.randomBytes(16).fill(0x11, 0, 1)),
    seq(oid(f.innerAlgorithm ?? ECDSA_SHA256)),
    f.issuer ?? signer.name,
    seq(f.notBefore ?? utcTime('240101000000Z'), f.notAfter ?? generalizedTime('29991231235959Z')),
    f.subject,
    f.spki ?? f.subjectKey.export({ type: 'spki', format: 'der' }),
    ...(f.extensions?.length
      ? [
          tlv(
            0xa3,
            seq(
              ...f.extensions.map((e) =>
                seq(oid(e.oid), ...(e.critical ? [bool(true)] : []), octets(e.value)),
              ),
            ),
          ),
        ]
      : []),
  );
  const signature = crypto.sign('sha256', tbs, signer.key);
  return seq(tbs, seq(oid(ECDSA_SHA256)), tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
}

export const rootExtensions = (root: Party) => [
  EXT.basicConstraints(true),
  EXT.keyUsage(KU.keyCertSign | KU.cRLSign),
  EXT.ski(root.keyId),
];
export const caExtensions = (ca: Party, issuer: Party, pathLen?: number) => [
  EXT.basicConstraints(true, pathLen),
  EXT.keyUsage(KU.keyCertSign | KU.cRLSign),
  EXT.ski(ca.keyId),
  EXT.aki(issuer.keyId),
];
export const leafExtensions = (host: string, issuer: Party) => [
  EXT.basicConstraints(false),
  EXT.keyUsage(KU.digitalSignature),
  EXT.eku([SERVER_AUTH]),
  EXT.san([dns(host)]),
  EXT.aki(issuer.keyId),
];

/** A valid web-PKI shaped trio: root → intermediate → leaf for `host`, each overridable. */
export function webChain(
  host = 'www.example.test',
  over: { root?: Partial<CertFields>; ica?: Partial<CertFields>; leaf?: Partial<CertFields> } = {},
) {
  const root = party(name([['CN', 'Odd Root']]));
  const ica = party(name([['CN', 'Odd CA']]));
  const leaf = party(name([['CN', host]]));
  const rootDer = buildCert(
    { subject: root.name, subjectKey: root.publicKey, extensions: rootExtensions(root), ...over.root },
    root,
  );
  const icaDer = buildCert(
    { subject: ica.name, subjectKey: ica.publicKey, extensions: caExtensions(ica, root), ...over.ica },
    root,
  );
  const leafDer = buildCert(
    { subject: leaf.name, subjectKey: leaf.publicKey, extensions: leafExtensions(host, ica), ...over.leaf },
    ica,
  );
  return { root, ica, leaf, rootDer, icaDer, leafDer };
}

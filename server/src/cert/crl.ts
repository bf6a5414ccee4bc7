import crypto from 'node:crypto';
import type { DecodedCrl } from '@certdesk/shared';
import { SHORT_NAMES } from './csr.js';
import { children, content, decodeOid, parseTime, readTlv, type Tlv } from './der.js';
import { parseName } from './dn.js';
import { CertError } from './errors.js';
import { toPem } from './pem.js';
import { SIGNATURE_ALGORITHMS } from './x509-info.js';

/**
 * Certificate revocation lists (RFC 5280 §5), for the decode tool (`openssl crl -text`): issuer, this
 * and next update, the revoked entries, CRL number and signature algorithm. Read with the project's own
 * DER walker, field by field, so a CRL with an odd field (a bad time, an unknown version, an unknown
 * critical extension) is still shown the way openssl shows it, with that field marked unreadable.
 */

/** Entries listed one by one; the count covers them all (real CRLs reach tens of thousands). */
export const CRL_ENTRIES_SHOWN = 100;

const TAG = { INT: 0x02, SEQ: 0x30, UTC: 0x17, GEN: 0x18, EXPLICIT0: 0xa0 } as const;
const isTime = (t: Tlv | undefined) => t?.tag === TAG.UTC || t?.tag === TAG.GEN;

const EXTENSIONS: Record<string, string> = {
  '2.5.29.20': 'CRL Number',
  '2.5.29.27': 'Delta CRL Indicator',
  '2.5.29.28': 'Issuing Distribution Point',
  '2.5.29.35': 'Authority Key Identifier',
  '2.5.29.18': 'Issuer Alternative Name',
  '2.5.29.46': 'Freshest CRL',
  '1.3.6.1.5.5.7.1.1': 'Authority Information Access',
  '2.5.29.21': 'Reason Code',
  '2.5.29.24': 'Invalidity Date',
  '2.5.29.29': 'Certificate Issuer',
};

const MORE_SIGNATURES: Record<string, string> = {
  '1.2.840.113549.1.1.2': 'MD2 with RSA',
  '1.2.840.10040.4.3': 'DSA with SHA-1',
  '2.16.840.1.101.3.4.3.2': 'DSA with SHA-256',
  '1.3.101.113': 'Ed448',
};

/** RFC 5280 §5.3.1 CRLReason. */
const REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'unused (7)',
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
];

/** The outer shape of a CRL: a signed SEQUENCE whose TBS has a Name followed by a time, where a certificate has its validity SEQUENCE. */
export function looksLikeCrl(der: Buffer): boolean {
  try {
    return tbsFields(der) !== null;
  } catch {
    return false;
  }
}

function tbsFields(der: Buffer): { tbs: Tlv[]; sigAlg: Tlv } | null {
  const outer = readTlv(der, 0);
  if (outer.tag !== TAG.SEQ || outer.end !== der.length) return null;
  const [tbsTlv, sigAlg, sig] = children(der, outer);
  if (tbsTlv?.tag !== TAG.SEQ || sigAlg?.tag !== TAG.SEQ || sig?.tag !== 0x03) return null;
  const tbs = children(der, tbsTlv);
  const i = tbs[0]?.tag === TAG.INT ? 1 : 0;
  if (tbs[i]?.tag !== TAG.SEQ || tbs[i + 1]?.tag !== TAG.SEQ || !isTime(tbs[i + 2])) return null;
  return { tbs, sigAlg };
}

function damaged(name: string): CertError {
  return new CertError(
    'UNRECOGNIZED_FILE',
    `${name}: this is a certificate revocation list (CRL), but it is damaged and cannot be read.`,
    { file: name },
  );
}

/** Reads a DER CRL; throws UNRECOGNIZED_FILE (422) naming `name` when it is no readable CRL. */
export function decodeCrl(der: Buffer, name: string): DecodedCrl {
  try {
    const fields = tbsFields(der);
    if (!fields) throw new Error('not a CRL');
    return describe(der, fields.tbs, fields.sigAlg);
  } catch (err) {
    if (err instanceof CertError) throw err;
    throw damaged(name);
  }
}

function describe(der: Buffer, tbs: Tlv[], sigAlg: Tlv): DecodedCrl {
  let i = 0;
  let version: number | null = 1;
  if (tbs[0]?.tag === TAG.INT) {
    const v = content(der, tbs[0]);
    version = v.length <= 2 ? v.readUIntBE(0, v.length) + 1 : null;
    i = 1;
  }
  i++; // the inner signature AlgorithmIdentifier repeats the outer one
  const issuerTlv = tbs[i++] as Tlv;
  const thisUpdate = time(der, tbs[i++]);
  const nextUpdate = isTime(tbs[i]) ? time(der, tbs[i++]) : null;
  let entries: Tlv[] = [];
  if (tbs[i]?.tag === TAG.SEQ) entries = children(der, tbs[i++] as Tlv);
  const extensions = tbs[i]?.tag === TAG.EXPLICIT0 ? readExtensions(der, tbs[i] as Tlv) : [];
  const crlNumber = extensions.find((e) => e.oid === '2.5.29.20');
  const sigOid = algorithm(der, sigAlg);
  const deltaOf = extensions.find((e) => e.oid === '2.5.29.27');
  return {
    issuer: oneLineName(der.subarray(issuerTlv.start, issuerTlv.end)),
    version,
    signatureAlgorithm: SIGNATURE_ALGORITHMS[sigOid]?.name ?? MORE_SIGNATURES[sigOid] ?? sigOid,
    thisUpdate: thisUpdate?.toISOString() ?? null,
    nextUpdate: nextUpdate?.toISOString() ?? null,
    crlNumber: crlNumber ? integerText(crlNumber.value) : null,
    deltaCrlOf: deltaOf ? integerText(deltaOf.value) : null,
    revokedCount: entries.length,
    revoked: entries.slice(0, CRL_ENTRIES_SHOWN).map((e) => entry(der, e)),
    extensions: extensions.map((e) => ({
      oid: e.oid,
      name: EXTENSIONS[e.oid] ?? e.oid,
      critical: e.critical,
    })),
    fingerprintSha256: crypto.createHash('sha256').update(der).digest('hex').toUpperCase(),
    pem: toPem('X509 CRL', der),
  };
}

function time(der: Buffer, t: Tlv | undefined): Date | null {
  if (!t) return null;
  return parseTime(t.tag, content(der, t).toString('latin1'));
}

function algorithm(der: Buffer, alg: Tlv): string {
  const oid = children(der, alg)[0];
  return oid?.tag === 0x06 ? decodeOid(content(der, oid)) : 'unknown';
}

interface Ext {
  oid: string;
  critical: boolean;
  /** The extnValue's content: the extension's own DER. */
  value: Buffer;
}

function readExtensions(der: Buffer, wrapper: Tlv): Ext[] {
  const list = children(der, wrapper)[0];
  if (!list || list.tag !== TAG.SEQ) return [];
  return children(der, list).map((ext) => {
    const parts = children(der, ext);
    const oid = parts[0]?.tag === 0x06 ? decodeOid(content(der, parts[0])) : 'unknown';
    const critical = parts[1]?.tag === 0x01 && content(der, parts[1])[0] !== 0;
    const octets = parts[parts.length - 1];
    return { oid, critical, value: octets?.tag === 0x04 ? content(der, octets) : Buffer.alloc(0) };
  });
}

/** A non-negative INTEGER's DER as decimal (CRL numbers may be 20 octets long). */
function integerText(value: Buffer): string | null {
  try {
    const t = readTlv(value, 0);
    if (t.tag !== TAG.INT) return null;
    const hex = content(value, t).toString('hex');
    return hex ? BigInt(`0x${hex}`).toString() : null;
  } catch {
    return null;
  }
}

function entry(der: Buffer, e: Tlv): DecodedCrl['revoked'][number] {
  const [serial, date, exts] = children(der, e);
  const reasonExt = exts?.tag === TAG.SEQ ? readExtensionsList(der, exts) : [];
  const reason = reasonExt.find((x) => x.oid === '2.5.29.21');
  let reasonText: string | null = null;
  if (reason) {
    const t = readTlv(reason.value, 0);
    const n = content(reason.value, t)[0];
    reasonText = t.tag === 0x0a && n !== undefined ? (REASONS[n] ?? `unknown (${n})`) : null;
  }
  return {
    serialNumber: serial?.tag === TAG.INT ? content(der, serial).toString('hex').toUpperCase() : '',
    revocationDate: time(der, date)?.toISOString() ?? null,
    reason: reasonText,
  };
}

/** Entry extensions are a bare SEQUENCE, not wrapped in [0]. */
function readExtensionsList(der: Buffer, list: Tlv): Ext[] {
  return readExtensions(der, {
    tag: TAG.EXPLICIT0,
    start: list.start,
    valueStart: list.start,
    end: list.end,
  });
}

function oneLineName(nameDer: Buffer): string {
  return parseName(nameDer)
    .map((rdn) => rdn.map((a) => `${SHORT_NAMES[a.oid] ?? a.oid}=${a.text ?? '#'}`).join('+'))
    .reverse()
    .join(', ');
}

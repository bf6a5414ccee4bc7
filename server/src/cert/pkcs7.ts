import * as asn1js from 'asn1js';
import { CertError } from './errors.js';

const SIGNED_DATA = '1.2.840.113549.1.7.2';

function damaged(detail: string): CertError {
  return new CertError('P7B_DAMAGED', `The PKCS#7 (.p7b) bundle is damaged or truncated (${detail}).`);
}

/** A well-formed bundle with no certificate in it (only CRLs, or nothing: `openssl crl2pkcs7 -nocrl`). */
export function emptyPkcs7(): CertError {
  return new CertError(
    'P7B_EMPTY',
    'The PKCS#7 (.p7b) bundle holds no certificate (it is empty or carries only revocation lists). Export the bundle again with its certificates.',
  );
}

/** True when the DER is a ContentInfo of type signedData (a .p7b/.p7c). */
export function looksLikePkcs7(der: Buffer): boolean {
  const r = asn1js.fromBER(new Uint8Array(der.buffer, der.byteOffset, der.byteLength));
  if (r.offset === -1 || !(r.result instanceof asn1js.Sequence)) return false;
  const oid = r.result.valueBlock.value[0];
  return oid instanceof asn1js.ObjectIdentifier && oid.valueBlock.toString() === SIGNED_DATA;
}

/**
 * The certificates of a PKCS#7 SignedData bundle, byte for byte as they are in the file (read with
 * asn1js rather than a schema library, which would re-encode them and change their fingerprints).
 */
export function readPkcs7(der: Buffer): Buffer[] {
  try {
    const r = asn1js.fromBER(new Uint8Array(der.buffer, der.byteOffset, der.byteLength));
    if (r.offset === -1 || !(r.result instanceof asn1js.Sequence)) throw damaged('not ASN.1');
    const [oid, explicit] = r.result.valueBlock.value;
    if (!(oid instanceof asn1js.ObjectIdentifier) || oid.valueBlock.toString() !== SIGNED_DATA)
      throw damaged('not signedData');
    const signedData = (explicit as asn1js.Constructed | undefined)?.valueBlock.value[0];
    if (!(signedData instanceof asn1js.Sequence)) throw damaged('no signedData');
    const certSet = signedData.valueBlock.value.find(
      (n) => n.idBlock.tagClass === 3 && n.idBlock.tagNumber === 0,
    ) as asn1js.Constructed | undefined;
    if (!certSet) return [];
    return certSet.valueBlock.value
      .filter((c) => c instanceof asn1js.Sequence) // skip attribute certificates ([1], [2]…)
      .map((c) => Buffer.from(c.valueBeforeDecodeView));
  } catch (err) {
    if (err instanceof CertError) throw err;
    throw damaged('unreadable structure');
  }
}

/** DER tag-length-value; lengths in the definite form (short below 128 bytes, long beyond). */
function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const n = body.length;
  if (n < 0x80) return Buffer.concat([Buffer.from([tag, n]), body]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.concat([Buffer.from([tag, 0x80 | bytes.length, ...bytes]), body]);
}

const OID_SIGNED_DATA = Buffer.from('06092a864886f70d010702', 'hex');
const OID_DATA = Buffer.from('06092a864886f70d010701', 'hex');

/**
 * A "certs-only" PKCS#7 (.p7b): a degenerate SignedData with no content and no signers, the form
 * Windows and `openssl crl2pkcs7 -nocrl` write. The certificates go in byte for byte, in the order given.
 * Built by hand because a schema library would re-encode the certificates.
 */
export function writePkcs7(certificates: Buffer[]): Buffer {
  const signedData = tlv(
    0x30,
    tlv(0x02, Buffer.from([1])), // version 1
    tlv(0x31), // digestAlgorithms: none
    tlv(0x30, OID_DATA), // encapContentInfo: data, absent content
    tlv(0xa0, ...certificates), // certificates [0] IMPLICIT SET OF Certificate
    tlv(0x31), // signerInfos: none
  );
  return tlv(0x30, OID_SIGNED_DATA, tlv(0xa0, signedData));
}

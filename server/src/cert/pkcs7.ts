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

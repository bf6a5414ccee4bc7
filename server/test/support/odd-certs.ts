import crypto from 'node:crypto';
import {
  buildCert,
  caExtensions,
  dns,
  EXT,
  ext,
  generalizedTime,
  leafExtensions,
  name,
  oid,
  party,
  rootExtensions,
  seq,
  tlv,
} from './der-builder.js';

/**
 * Odd but readable certificates (openssl x509 -text shows every one of them) for the "never a 500"
 * property tests: each is issued by one test root (rootDer) so the import gets as far as the report.
 */
export function oddCertificates(): { rootDer: Buffer; shapes: Record<string, Buffer> } {
  const root = party(name([['CN', 'Odd shapes root']]));
  const rootDer = buildCert(
    { subject: root.name, subjectKey: root.publicKey, extensions: rootExtensions(root) },
    root,
  );
  const host = 'odd.example.test';
  const leafFor = (over: Partial<Parameters<typeof buildCert>[0]> = {}, signer = root) => {
    const p = party(name([['CN', host]]));
    return buildCert(
      { subject: p.name, subjectKey: p.publicKey, extensions: leafExtensions(host, root), ...over },
      signer,
    );
  };
  const withoutSan = leafExtensions(host, root).filter((e) => e.oid !== '2.5.29.17');
  const self = party(name([]));
  const unknownKey = seq(seq(oid('1.2.3.4.5.6')), tlv(0x03, Buffer.from([0, 1, 2, 3])));
  return {
    rootDer,
    shapes: {
      emptySubject: leafFor({ subject: name([]), extensions: [...withoutSan, EXT.san([dns(host)], true)] }),
      emptyIssuerSelfSigned: buildCert(
        { subject: self.name, issuer: name([]), subjectKey: self.publicKey },
        self,
      ),
      emptySubjectNoSan: leafFor({ subject: name([]), extensions: withoutSan }),
      yearZero: leafFor({ notBefore: generalizedTime('00000101000000Z') }),
      year9999: leafFor({ notAfter: generalizedTime('99991231235959Z') }),
      malformedSan: leafFor({ extensions: [...withoutSan, ext('2.5.29.17', Buffer.from(host))] }),
      malformedKeyUsage: leafFor({
        extensions: [
          ...leafExtensions(host, root).filter((e) => e.oid !== '2.5.29.15'),
          ext('2.5.29.15', Buffer.from([1, 2]), true),
        ],
      }),
      malformedBasicConstraints: leafFor({
        extensions: [
          ...leafExtensions(host, root).filter((e) => e.oid !== '2.5.29.19'),
          ext('2.5.29.19', Buffer.from([0x30]), true),
        ],
      }),
      malformedAia: leafFor({
        extensions: [
          ...leafExtensions(host, root),
          ext('1.3.6.1.5.5.7.1.1', Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01])),
        ],
      }),
      unknownCritical: leafFor({
        extensions: [
          ...leafExtensions(host, root),
          ext('1.3.6.1.4.1.55738.666.1', Buffer.from([5, 0]), true),
        ],
      }),
      duplicateExtension: leafFor({
        extensions: [...leafExtensions(host, root), EXT.eku(['1.3.6.1.5.5.7.3.1'])],
      }),
      version1: leafFor({ version: 1, extensions: [] }),
      negativeSerial: leafFor({ serial: Buffer.from([0xff, 0x7f]) }),
      zeroSerial: leafFor({ serial: Buffer.from([0]) }),
      longSerial: leafFor({ serial: crypto.randomBytes(30).fill(0x11, 0, 1) }),
      unknownSignatureAlgorithm: leafFor({ innerAlgorithm: '1.2.3.4.5' }),
      caAsLeaf: leafFor({ extensions: [...caExtensions(party(name([['CN', 'x']])), root)] }),
      unknownKeyAlgorithm: leafFor({ spki: unknownKey }),
      ed25519Key: leafFor({ subjectKey: crypto.generateKeyPairSync('ed25519').publicKey }),
      dsaKey: leafFor({
        subjectKey: crypto.generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 }).publicKey,
      }),
    },
  };
}

import crypto, { type KeyObject, type X509Certificate } from 'node:crypto';
import {
  ContentInfo,
  EncryptedContent,
  EncryptedContentInfo,
  id_data,
  id_encryptedData,
} from '@peculiar/asn1-cms';
import {
  AuthenticatedSafe,
  CertBag,
  id_certBag,
  id_pkcs8ShroudedKeyBag,
  id_x509Certificate,
  MacData,
  PFX,
  PKCS12Attribute,
  SafeBag,
  SafeContents,
} from '@peculiar/asn1-pfx';
import { EncryptedData, EncryptedPrivateKeyInfo } from '@peculiar/asn1-pkcs8';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import * as asn1js from 'asn1js';
import { derive } from './kdf.js';
import { macKeyRequest } from './pbe.js';
import { type PbeProfile, pbeEncrypt } from './pbe-encrypt.js';
import { ALG, CmsEncryptedData } from './pkcs-asn1.js';

/**
 * A PKCS#12 (.pfx/.p12) writer (RFC 7292) on @peculiar/asn1-pfx, sharing its password encoding, key
 * derivation and algorithm table with the reader (pbe.ts, kdf.ts, pkcs-asn1.ts). Why not a library:
 * node-forge only wraps RSA keys and always MACs with SHA-1; pkijs cannot write the PKCS#12 3DES PBE that
 * old Windows and Java need. Two profiles, matching OpenSSL 3:
 *  - aes256: certificates and key encrypted with PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC), SHA-256 MAC —
 *    what `openssl pkcs12 -export` writes by default.
 *  - legacy: pbeWithSHAAnd3-KeyTripleDES-CBC for both bags, SHA-1 MAC — what Windows "TripleDES-SHA1"
 *    writes (3DES for the certificates too, where `openssl -legacy` would use RC2-40).
 * Derivation runs on the calling thread: the iteration count is certdesk's own choice, not a file's.
 */

export type PfxEncryption = 'aes256' | 'legacy';

export interface PfxInput {
  key: KeyObject;
  cert: X509Certificate;
  /** Intermediates (and root if wanted), leaf side first. */
  chain: X509Certificate[];
  /** null writes a file without a password (OpenSSL's NULL password), as some tools do. */
  password: string | null;
  encryption: PfxEncryption;
  friendlyName?: string;
  iterations?: number;
}

const PROFILES: Record<
  PfxEncryption,
  { pbe: PbeProfile; mac: 'sha1' | 'sha256'; macOid: string; saltLen: number }
> = {
  aes256: { pbe: 'pbes2-aes256', mac: 'sha256', macOid: ALG.sha256, saltLen: 16 },
  legacy: { pbe: 'pkcs12-3des', mac: 'sha1', macOid: ALG.sha1, saltLen: 8 },
};

function attribute(attrId: string, value: ArrayBuffer): PKCS12Attribute {
  // PKCS12Attribute's constructor ignores its argument: set the fields.
  const a = new PKCS12Attribute();
  a.attrId = attrId;
  a.attrValues = [value];
  return a;
}

function certBag(cert: X509Certificate, attributes?: PKCS12Attribute[]): SafeBag {
  const value = new CertBag({
    certId: id_x509Certificate,
    certValue: AsnConvert.serialize(new OctetString(cert.raw)),
  });
  return new SafeBag({ bagId: id_certBag, bagValue: AsnConvert.serialize(value), bagAttributes: attributes });
}

export function buildPfx(input: PfxInput): Buffer {
  const iterations = input.iterations ?? 2048;
  const { password } = input;
  const profile = PROFILES[input.encryption];

  const localKeyId = crypto.createHash('sha1').update(input.cert.raw).digest();
  const leafAttributes = [attribute(ALG.localKeyId, AsnConvert.serialize(new OctetString(localKeyId)))];
  if (input.friendlyName) {
    const name = new asn1js.BmpString({ value: input.friendlyName }).toBER();
    leafAttributes.push(attribute(ALG.friendlyName, name));
  }

  const certSafe = new SafeContents([
    certBag(input.cert, leafAttributes),
    ...input.chain.map((c) => certBag(c)),
  ]);
  const certEnc = pbeEncrypt(profile.pbe, Buffer.from(AsnConvert.serialize(certSafe)), password, iterations);
  const encryptedData = new CmsEncryptedData();
  encryptedData.encryptedContentInfo = new EncryptedContentInfo({
    contentType: id_data,
    contentEncryptionAlgorithm: certEnc.algorithm,
    encryptedContent: new EncryptedContent({ value: new OctetString(certEnc.data) }),
  });
  const certPart = new ContentInfo({
    contentType: id_encryptedData,
    content: AsnConvert.serialize(encryptedData),
  });

  const pkcs8 = input.key.export({ type: 'pkcs8', format: 'der' });
  const keyEnc = pbeEncrypt(profile.pbe, pkcs8, password, iterations);
  const shrouded = new EncryptedPrivateKeyInfo({
    encryptionAlgorithm: keyEnc.algorithm,
    encryptedData: new EncryptedData(keyEnc.data),
  });
  const keySafe = new SafeContents([
    new SafeBag({
      bagId: id_pkcs8ShroudedKeyBag,
      bagValue: AsnConvert.serialize(shrouded),
      bagAttributes: leafAttributes,
    }),
  ]);
  const keyPart = dataContent(AsnConvert.serialize(keySafe));

  const authSafe = Buffer.from(AsnConvert.serialize(new AuthenticatedSafe([certPart, keyPart])));
  const macSalt = crypto.randomBytes(profile.saltLen);
  const macKey = derive(macKeyRequest(profile.mac, password, macSalt, iterations));
  const macData = new MacData({ macSalt: new OctetString(macSalt), iterations });
  macData.mac.digestAlgorithm = new AlgorithmIdentifier({ algorithm: profile.macOid, parameters: null });
  macData.mac.digest = new OctetString(crypto.createHmac(profile.mac, macKey).update(authSafe).digest());

  return Buffer.from(AsnConvert.serialize(new PFX({ version: 3, authSafe: dataContent(authSafe), macData })));
}

function dataContent(der: ArrayBuffer | Buffer): ContentInfo {
  return new ContentInfo({ contentType: id_data, content: AsnConvert.serialize(new OctetString(der)) });
}

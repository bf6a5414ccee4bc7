import { type Static, Type } from 'typebox';

/** POST /api/tools/decode-csr: a PEM (or base64 DER) CSR pasted or read from a file. */
export const DecodeCsrBody = Type.Object({ csr: Type.String({ minLength: 1, maxLength: 200_000 }) });
export type DecodeCsrBody = Static<typeof DecodeCsrBody>;

export const DecodedCsr = Type.Object({
  subject: Type.Array(Type.Object({ name: Type.String(), shortName: Type.String(), value: Type.String() })),
  subjectDn: Type.String(),
  subjectAltNames: Type.Array(Type.Object({ type: Type.String(), value: Type.String() })),
  keyType: Type.String(),
  keySize: Type.Optional(Type.Integer()),
  curve: Type.Optional(Type.String()),
  signatureAlgorithm: Type.String(),
  signatureValid: Type.Boolean({
    description: 'The CSR is signed by the key it carries (openssl req -verify)',
  }),
  publicKeySha256: Type.String(),
  extensions: Type.Array(Type.Object({ oid: Type.String(), name: Type.String(), critical: Type.Boolean() })),
  pem: Type.String(),
});
export type DecodedCsr = Static<typeof DecodedCsr>;

/** POST /api/tools/decrypt-key. */
export const DecryptKeyBody = Type.Object({
  key: Type.String({ minLength: 1, maxLength: 200_000, description: 'PEM, or base64 of DER' }),
  passphrase: Type.String({ maxLength: 1024 }),
});
export type DecryptKeyBody = Static<typeof DecryptKeyBody>;

export const DecryptedKey = Type.Object({
  keyPem: Type.String({ description: 'The key, unencrypted, as PKCS#8 PEM' }),
  keyType: Type.String(),
  keySize: Type.Optional(Type.Integer()),
  curve: Type.Optional(Type.String()),
  sourceFormat: Type.String({ description: 'pkcs8, pkcs1 or sec1' }),
});
export type DecryptedKey = Static<typeof DecryptedKey>;

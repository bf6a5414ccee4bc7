import { type Static, Type } from 'typebox';
import { TotpCode } from './totp.js';

export * from './csr-rules.js';

/**
 * POST /api/csrs. Strings are only bounded here; the field rules (csr-rules.ts) run in the server so
 * the answer is a 400 with `field` and a sentence, not a schema message.
 */
export const CsrCreateBody = Type.Object({
  commonName: Type.String({
    maxLength: 1024,
    description:
      'Host name, at most 64 characters; may be empty ("") when subjectAltNames holds the names (the subject then has no CN)',
  }),
  subjectAltNames: Type.Optional(Type.Array(Type.String({ maxLength: 1024 }), { maxItems: 200 })),
  organization: Type.Optional(Type.String({ maxLength: 1024 })),
  organizationalUnit: Type.Optional(Type.String({ maxLength: 1024 })),
  locality: Type.Optional(Type.String({ maxLength: 1024 })),
  state: Type.Optional(Type.String({ maxLength: 1024 })),
  country: Type.Optional(Type.String({ maxLength: 1024 })),
  // ECDSA P-256 unless the admin chooses: the cheapest handshake for the server (issue 15). RSA stays selectable.
  keyType: Type.Optional(
    Type.Union([Type.Literal('rsa'), Type.Literal('ec')], {
      default: 'ec',
      description: 'Key type; "ec" (ECDSA, curve P-256 unless `curve` says otherwise) when left out',
    }),
  ),
  keySize: Type.Optional(Type.Union([Type.Literal(2048), Type.Literal(3072), Type.Literal(4096)])),
  curve: Type.Optional(Type.Union([Type.Literal('P-256'), Type.Literal('P-384')])),
  renewsCertificateId: Type.Optional(
    Type.Integer({ minimum: 1, description: 'The certificate this CSR renews' }),
  ),
});
export type CsrCreateBody = Static<typeof CsrCreateBody>;

export const CsrSubject = Type.Object({
  commonName: Type.String(),
  organization: Type.Optional(Type.String()),
  organizationalUnit: Type.Optional(Type.String()),
  locality: Type.Optional(Type.String()),
  state: Type.Optional(Type.String()),
  country: Type.Optional(Type.String()),
});
export type CsrSubject = Static<typeof CsrSubject>;

export const CsrStatus = Type.Union([Type.Literal('pending'), Type.Literal('completed')]);
export type CsrStatus = Static<typeof CsrStatus>;

export const CsrSummary = Type.Object({
  id: Type.Integer(),
  commonName: Type.String(),
  subject: CsrSubject,
  subjectAltNames: Type.Array(Type.String()),
  keyType: Type.Union([Type.Literal('rsa'), Type.Literal('ec')]),
  keySize: Type.Optional(Type.Integer()),
  curve: Type.Optional(Type.String()),
  status: CsrStatus,
  certificateId: Type.Union([Type.Integer(), Type.Null()]),
  renewsCertificateId: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String(),
});
export type CsrSummary = Static<typeof CsrSummary>;

/** 201 of POST /api/csrs and 200 of GET /api/csrs/:id. */
export const Csr = Type.Object({
  ...CsrSummary.properties,
  csrPem: Type.String(),
  subjectDn: Type.String({
    description: 'The subject as a distinguished name, e.g. CN=a.example, O=Example',
  }),
  signatureAlgorithm: Type.String(),
  publicKeySha256: Type.String({ description: 'Hex SHA-256 of the public key (SPKI)' }),
  warnings: Type.Optional(
    Type.Array(Type.String(), {
      description:
        'Names public CAs refuse while internal CAs issue them (single-label names, localhost): one sentence each',
    }),
  ),
});
export type Csr = Static<typeof Csr>;

export const CsrList = Type.Object({ items: Type.Array(CsrSummary) });
export type CsrList = Static<typeof CsrList>;

export const CsrKeyDownloadBody = Type.Object({
  password: Type.String({ maxLength: 1024, description: 'The signed-in account password, asked again' }),
  passphrase: Type.Optional(
    Type.String({ maxLength: 1024, description: 'When given, the key is PKCS#8-encrypted with AES-256-CBC' }),
  ),
  totp: Type.Optional(TotpCode),
});
export type CsrKeyDownloadBody = Static<typeof CsrKeyDownloadBody>;

export const Country = Type.Object({
  code: Type.String({ description: 'ISO 3166-1 alpha-2, what the CSR carries' }),
  name: Type.String(),
  alpha3: Type.String({ description: 'ISO 3166-1 alpha-3, for searching' }),
  aliases: Type.Array(Type.String(), { description: 'Other English names, e.g. "USA", "UK", "Czechia"' }),
});
export const CountryList = Type.Object({ items: Type.Array(Country) });
export type CountryList = Static<typeof CountryList>;

import { type Static, Type } from 'typebox';

/** POST /api/acme/accounts. The EAB HMAC key is sealed at rest and never returned. */
export const AcmeAccountCreateBody = Type.Object({
  directoryUrl: Type.String({
    minLength: 1,
    maxLength: 2000,
    description: 'The CA directory (https://…/directory)',
  }),
  email: Type.String({ maxLength: 320, description: 'Contact for the CA (may be empty)' }),
  termsOfServiceAgreed: Type.Boolean(),
  eab: Type.Optional(
    Type.Object({
      kid: Type.String({ minLength: 1, maxLength: 1000 }),
      hmacKey: Type.String({ minLength: 1, maxLength: 1000, description: 'base64url, as the CA shows it' }),
    }),
  ),
  caPem: Type.Optional(
    Type.String({
      maxLength: 200_000,
      description: 'Extra CA certificates (PEM) trusted for this directory only, e.g. a private or test CA',
    }),
  ),
});
export type AcmeAccountCreateBody = Static<typeof AcmeAccountCreateBody>;

export const AcmeAccount = Type.Object({
  id: Type.Integer(),
  directoryUrl: Type.String(),
  email: Type.String(),
  status: Type.String({ description: 'As the CA says: valid, deactivated, revoked' }),
  accountUrl: Type.String(),
  eabKid: Type.Union([Type.String(), Type.Null()]),
  hasCaPem: Type.Boolean(),
  createdAt: Type.String(),
});
export type AcmeAccount = Static<typeof AcmeAccount>;

export const AcmeAccountList = Type.Object({ items: Type.Array(AcmeAccount) });
export type AcmeAccountList = Static<typeof AcmeAccountList>;

export const AcmeChallengeType = Type.Union([Type.Literal('http-01'), Type.Literal('dns-01')]);
export type AcmeChallengeType = Static<typeof AcmeChallengeType>;

/** POST /api/acme/orders. */
export const AcmeOrderCreateBody = Type.Object({
  accountId: Type.Integer({ minimum: 1 }),
  commonName: Type.String({ maxLength: 253 }),
  subjectAltNames: Type.Optional(Type.Array(Type.String({ maxLength: 253 }), { maxItems: 100 })),
  keyType: Type.Optional(Type.Union([Type.Literal('rsa'), Type.Literal('ec')], { default: 'ec' })),
  keySize: Type.Optional(Type.Union([Type.Literal(2048), Type.Literal(3072), Type.Literal(4096)])),
  curve: Type.Optional(Type.Union([Type.Literal('P-256'), Type.Literal('P-384')])),
  challenge: AcmeChallengeType,
  dnsHook: Type.Optional(
    Type.String({
      maxLength: 200,
      description:
        'dns-01: a hook declared in CERTDESK_DEPLOY_HOOKS (gets name and value as extra arguments), or "manual"',
    }),
  ),
});
export type AcmeOrderCreateBody = Static<typeof AcmeOrderCreateBody>;

export const AcmeOrderStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('processing'),
  Type.Literal('valid'),
  Type.Literal('invalid'),
]);
export type AcmeOrderStatus = Static<typeof AcmeOrderStatus>;

export const AcmeDnsRecord = Type.Object({
  name: Type.String(),
  type: Type.Literal('TXT'),
  value: Type.String(),
});
export type AcmeDnsRecord = Static<typeof AcmeDnsRecord>;

export const AcmeOrder = Type.Object({
  id: Type.Integer(),
  accountId: Type.Integer(),
  status: AcmeOrderStatus,
  /** Where the order is: key, order, authorizations, awaiting-dns, finalizing, importing, done. */
  stage: Type.String(),
  names: Type.Array(Type.String()),
  challenge: AcmeChallengeType,
  dnsHook: Type.Union([Type.String(), Type.Null()]),
  /** dns-01 "manual": the TXT records to set, then POST /api/acme/orders/:id/check. */
  dnsRecords: Type.Array(AcmeDnsRecord),
  renewsCertificateId: Type.Union([Type.Integer(), Type.Null()]),
  certificateId: Type.Optional(Type.Integer()),
  error: Type.Optional(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type AcmeOrder = Static<typeof AcmeOrder>;

export const AcmeOrderList = Type.Object({ items: Type.Array(AcmeOrder) });
export type AcmeOrderList = Static<typeof AcmeOrderList>;

export const AcmeOrderAccepted = Type.Object({ id: Type.Integer(), status: AcmeOrderStatus });
export type AcmeOrderAccepted = Static<typeof AcmeOrderAccepted>;

/** GET|PUT /api/settings/renewal. */
export const RenewalSettings = Type.Object({
  autoRenew: Type.Boolean(),
  renewBeforePercent: Type.Integer({ minimum: 1, maximum: 90 }),
  useAri: Type.Boolean(),
});
export type RenewalSettings = Static<typeof RenewalSettings>;
export const RenewalSettingsUpdate = Type.Partial(RenewalSettings);
export type RenewalSettingsUpdate = Static<typeof RenewalSettingsUpdate>;

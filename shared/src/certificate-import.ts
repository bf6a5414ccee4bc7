import { type Static, Type } from 'typebox';

// Import request/response, pre-flight report and trust anchor schemas (API.md "Certificates").

export const CheckStatus = Type.Union([Type.Literal('pass'), Type.Literal('warn'), Type.Literal('fail')]);
export type CheckStatus = Static<typeof CheckStatus>;

export const CheckId = Type.Union([
  Type.Literal('key-match'),
  Type.Literal('not-expired'),
  Type.Literal('not-yet-valid'),
  Type.Literal('validity-period'),
  Type.Literal('key-strength'),
  Type.Literal('signature-algorithm'),
  Type.Literal('server-auth'),
  Type.Literal('server-names'),
  Type.Literal('self-signed'),
  Type.Literal('chain'),
  Type.Literal('replacement'),
]);
export type CheckId = Static<typeof CheckId>;

export const ReportCheck = Type.Object({
  id: CheckId,
  title: Type.String(),
  status: CheckStatus,
  /** What was found and what to do about it. */
  message: Type.String(),
  blocks: Type.Boolean({ description: 'A fail of this check refuses the import (policy)' }),
  /** Where in the console the fix is made, e.g. "/trust-anchors". */
  link: Type.Optional(Type.String()),
});
export type ReportCheck = Static<typeof ReportCheck>;

export const ChainCertificate = Type.Object({
  subject: Type.String(),
  commonName: Type.Union([Type.String(), Type.Null()]),
  issuer: Type.String(),
  serialNumber: Type.String(),
  notBefore: Type.String(),
  notAfter: Type.String(),
  fingerprintSha256: Type.String(),
  /** Where it came from: an uploaded file name, "stored intermediates", "AIA <url>", a trust store. */
  source: Type.String(),
  role: Type.Union([Type.Literal('leaf'), Type.Literal('intermediate'), Type.Literal('anchor')]),
});
export type ChainCertificate = Static<typeof ChainCertificate>;

export const DroppedCertificate = Type.Object({
  file: Type.String(),
  subject: Type.String(),
  fingerprintSha256: Type.String(),
  reason: Type.String(),
});
export type DroppedCertificate = Static<typeof DroppedCertificate>;

export const ImportReport = Type.Object({
  checks: Type.Array(ReportCheck),
  /** True when a blocking check failed: nothing is stored. */
  blocked: Type.Boolean(),
  /** Leaf first, then intermediates in order, then the trust anchor (not sent to clients). */
  chain: Type.Array(ChainCertificate),
  dropped: Type.Array(DroppedCertificate),
  notes: Type.Array(Type.String()),
  key: Type.Object({
    source: Type.Union([Type.Literal('upload'), Type.Literal('stored'), Type.Literal('none')]),
    description: Type.Union([Type.String(), Type.Null()]),
    csrId: Type.Union([Type.Integer(), Type.Null()]),
  }),
});
export type ImportReport = Static<typeof ImportReport>;

export const ImportedCertificate = Type.Object({
  name: Type.Union([Type.String(), Type.Null()]),
  subject: Type.String(),
  commonName: Type.Union([Type.String(), Type.Null()]),
  issuer: Type.String(),
  serialNumber: Type.String(),
  subjectAltNames: Type.Array(Type.String()),
  notBefore: Type.String(),
  notAfter: Type.String(),
  keyType: Type.String(),
  keySize: Type.Union([Type.Integer(), Type.Null()]),
  curve: Type.Union([Type.String(), Type.Null()]),
  fingerprintSha256: Type.String(),
  selfSigned: Type.Boolean(),
  hasKey: Type.Boolean(),
});
export type ImportedCertificate = Static<typeof ImportedCertificate>;

/** A dry run of a certificate the inventory already holds: which one, and whether this upload adds its key. */
export const AlreadyStored = Type.Object({
  id: Type.Integer(),
  name: Type.Union([Type.String(), Type.Null()]),
  /** True when the stored certificate has no private key and this upload brings it: Import attaches it. */
  addsKey: Type.Boolean(),
});
export type AlreadyStored = Static<typeof AlreadyStored>;

export const ImportResponse = Type.Object({
  /** null for a dry run. */
  id: Type.Union([Type.Integer(), Type.Null()]),
  dryRun: Type.Boolean(),
  certificate: ImportedCertificate,
  chain: Type.Array(ChainCertificate),
  report: ImportReport,
  /**
   * Present when the certificate is already stored. A dry run answers 200 with the report and this
   * (a real import of the same certificate is still 409 CERTIFICATE_EXISTS, unless it adds the key).
   */
  alreadyStored: Type.Optional(AlreadyStored),
});
export type ImportResponse = Static<typeof ImportResponse>;

export const PolicyEntry = Type.Object({
  id: CheckId,
  title: Type.String(),
  blocks: Type.Boolean(),
  description: Type.String(),
});
export const LifetimeLimit = Type.Object({
  /** First notBefore date (UTC, inclusive) the limit applies to; null for the limit before every date. */
  from: Type.Union([Type.String(), Type.Null()]),
  maxDays: Type.Integer(),
});
export type LifetimeLimit = Static<typeof LifetimeLimit>;
export const ImportPolicy = Type.Object({
  checks: Type.Array(PolicyEntry),
  /** CA/Browser Forum maximum validity by the certificate's notBefore date (validity-period check). */
  lifetimeLimits: Type.Optional(Type.Array(LifetimeLimit)),
});
export type ImportPolicy = Static<typeof ImportPolicy>;

export const TrustAnchor = Type.Object({
  id: Type.Integer(),
  subject: Type.String(),
  commonName: Type.Union([Type.String(), Type.Null()]),
  fingerprintSha256: Type.String(),
  notBefore: Type.String(),
  notAfter: Type.String(),
  createdAt: Type.String(),
  /** false for an intermediate CA trusted on its own (added with allowIntermediate). */
  selfSigned: Type.Optional(Type.Boolean()),
});
export type TrustAnchor = Static<typeof TrustAnchor>;
export const TrustAnchorList = Type.Object({
  items: Type.Array(TrustAnchor),
  mozillaRootCount: Type.Integer(),
});
export type TrustAnchorList = Static<typeof TrustAnchorList>;
export const TrustAnchorCreated = Type.Object({
  id: Type.Integer(),
  subject: Type.String(),
  fingerprintSha256: Type.String(),
  selfSigned: Type.Optional(Type.Boolean()),
  /** Said when an intermediate CA was added as an anchor (allowIntermediate). */
  warning: Type.Optional(Type.String()),
});
export type TrustAnchorCreated = Static<typeof TrustAnchorCreated>;

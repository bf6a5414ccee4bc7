import { type Static, type TSchema, Type } from 'typebox';
import { TotpCode } from './totp.js';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/**
 * Inventory status. Precedence when several apply (first wins):
 * active (settings.activeCertificateId or any SNI binding) > superseded (replaced by a newer version)
 * > expired > pending_key (no private key stored yet) > available.
 * An active certificate that has expired stays `active`; `expired` says so separately.
 */
export const CertificateStatus = Type.Union([
  Type.Literal('active'),
  Type.Literal('available'),
  Type.Literal('pending_key'),
  Type.Literal('expired'),
  Type.Literal('superseded'),
]);
export type CertificateStatus = Static<typeof CertificateStatus>;

export const CERTIFICATE_SORTS = [
  'commonName',
  'issuer',
  'notBefore',
  'notAfter',
  'daysLeft',
  'status',
  'keyType',
  'serialNumber',
  'thumbprintSha1',
  'createdAt',
] as const;
export type CertificateSort = (typeof CERTIFICATE_SORTS)[number];

export const CertificateListQuery = Type.Object({
  q: Type.Optional(
    Type.String({
      maxLength: 200,
      description:
        'Search: host names (CN, SANs; a host also finds the wildcard name that covers it), label and issuer, from the start of any word; serial, SHA-1 thumbprint or SHA-256 fingerprint prefix (colons and spaces ignored); a number also matches the id',
    }),
  ),
  status: Type.Optional(CertificateStatus),
  sort: Type.Optional(
    Type.Union(
      [
        Type.Literal('commonName'),
        Type.Literal('issuer'),
        Type.Literal('notBefore'),
        Type.Literal('notAfter'),
        Type.Literal('daysLeft'),
        Type.Literal('status'),
        Type.Literal('keyType'),
        Type.Literal('serialNumber'),
        Type.Literal('thumbprintSha1'),
        Type.Literal('createdAt'),
      ],
      { default: 'notAfter' },
    ),
  ),
  order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'asc' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
});
export type CertificateListQuery = Static<typeof CertificateListQuery>;

/** One row of the inventory. */
export const CertificateSummary = Type.Object({
  id: Type.Integer(),
  name: Nullable(Type.String()),
  commonName: Nullable(Type.String()),
  subject: Type.String({ description: 'Distinguished name, one line, e.g. "CN=www.example.com, O=Example"' }),
  issuer: Type.String(),
  issuerCommonName: Nullable(Type.String()),
  serialNumber: Type.String({ description: 'Upper-case hex' }),
  subjectAltNames: Type.Array(Type.String()),
  notBefore: Type.String(),
  notAfter: Type.String(),
  daysLeft: Type.Integer({ description: 'Whole days until notAfter; negative once expired' }),
  expired: Type.Boolean(),
  keyType: Type.String(),
  keySize: Nullable(Type.Integer()),
  curve: Nullable(Type.String()),
  hasKey: Type.Boolean(),
  thumbprintSha1: Type.String(),
  fingerprintSha256: Type.String(),
  selfSigned: Type.Boolean(),
  status: CertificateStatus,
  previousVersionId: Nullable(Type.Integer()),
  supersededById: Nullable(Type.Integer()),
  createdAt: Type.String(),
});
export type CertificateSummary = Static<typeof CertificateSummary>;

export const CertificateList = Type.Object({
  items: Type.Array(CertificateSummary),
  total: Type.Integer({
    description:
      'Exact number of certificates matching q and status (not an estimate): counted when a search or filter is first asked for, then kept, for the next pages too, until the inventory changes (import, rename, delete, binding, active certificate) or a certificate expires.',
  }),
});
export type CertificateList = Static<typeof CertificateList>;

export const NameField = Type.Object({ type: Type.String(), name: Type.String(), value: Type.String() });
export type NameField = Static<typeof NameField>;

export const CertificateExtension = Type.Object({
  oid: Type.String(),
  name: Type.String(),
  critical: Type.Boolean(),
  /** Readable lines, like the lower pane of the Windows dialog. */
  value: Type.Array(Type.String()),
});
export type CertificateExtension = Static<typeof CertificateExtension>;

export const ChainLinkStatus = Type.Union([
  Type.Literal('ok'),
  Type.Literal('expired'),
  Type.Literal('not_yet_valid'),
  Type.Literal('bad_signature'),
  Type.Literal('issuer_missing'),
]);
export const ChainLink = Type.Object({
  role: Type.Union([Type.Literal('leaf'), Type.Literal('intermediate'), Type.Literal('root')]),
  subject: Type.String(),
  commonName: Nullable(Type.String()),
  issuer: Type.String(),
  serialNumber: Type.String(),
  notBefore: Type.String(),
  notAfter: Type.String(),
  daysLeft: Type.Integer(),
  thumbprintSha1: Type.String(),
  fingerprintSha256: Type.String(),
  status: ChainLinkStatus,
  message: Type.String({ description: 'Plain sentence about this link' }),
  pem: Type.String(),
});
export type ChainLink = Static<typeof ChainLink>;

export const CertificateVersionRef = Type.Object({
  id: Type.Integer(),
  commonName: Nullable(Type.String()),
  notBefore: Type.String(),
  notAfter: Type.String(),
  status: CertificateStatus,
  expired: Type.Boolean(),
  hasKey: Type.Boolean(),
  supersededById: Nullable(Type.Integer()),
});
export type CertificateVersionRef = Static<typeof CertificateVersionRef>;

export const CertificateDetail = Type.Object({
  ...CertificateSummary.properties,
  ...{
    version: Type.Integer({ description: 'X.509 version (3)' }),
    subjectFields: Type.Array(NameField),
    issuerFields: Type.Array(NameField),
    signatureAlgorithm: Type.String(),
    publicKey: Type.String({ description: 'e.g. "RSA (2048 bits)" or "ECDSA P-256"' }),
    keyUsage: Type.Array(Type.String()),
    extendedKeyUsage: Type.Array(Type.Object({ oid: Type.String(), name: Type.String() })),
    basicConstraints: Nullable(Type.Object({ ca: Type.Boolean(), pathLength: Nullable(Type.Integer()) })),
    extensions: Type.Array(CertificateExtension),
    chain: Type.Array(ChainLink, { description: 'Leaf first, then intermediates, then the root when known' }),
    report: Type.Unknown({ description: 'The import pre-flight report, as stored' }),
    pem: Type.Object({ cert: Type.String(), chain: Type.String(), fullchain: Type.String() }),
    previousVersion: Nullable(CertificateVersionRef),
    versionHistory: Type.Array(CertificateVersionRef, {
      description:
        'Every earlier version, following previousVersion back: the newest first. A superseded one can be restored (POST /api/certificates/:id/restore) from here',
    }),
    nextVersions: Type.Array(CertificateVersionRef),
    supersededBy: Nullable(CertificateVersionRef),
    usedBy: Type.Object({
      active: Type.Boolean({ description: 'Is settings.activeCertificateId' }),
      httpsEnabled: Type.Boolean(),
      bindings: Type.Array(Type.Object({ id: Type.Integer(), hostname: Type.String() })),
    }),
    renewUrl: Type.String({ description: 'Path of the CSR wizard prefilled from this certificate' }),
    source: Type.Optional(
      Type.Union([Type.Literal('import'), Type.Literal('acme')], {
        description:
          '"acme": ordered over ACME and renewed by certdesk (POST /api/certificates/:id/renew-now)',
      }),
    ),
    acme: Type.Optional(
      Type.Object({
        accountId: Type.Integer(),
        orderId: Type.Integer(),
        nextCheckAt: Type.String(),
        attempts: Type.Integer({ description: 'Failed renewal attempts since the last success' }),
        lastError: Nullable(Type.String()),
        ariWindow: Nullable(Type.Object({ start: Type.String(), end: Type.String() })),
      }),
    ),
  },
});
export type CertificateDetail = Static<typeof CertificateDetail>;

export const EXPORT_FORMATS = ['pem', 'chain', 'fullchain', 'der', 'pfx', 'key', 'p7b'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CertificateExportBody = Type.Object({
  format: Type.Union([
    Type.Literal('pem'),
    Type.Literal('chain'),
    Type.Literal('fullchain'),
    Type.Literal('der'),
    Type.Literal('pfx'),
    Type.Literal('key'),
    Type.Literal('p7b'),
  ]),
  pfxPassword: Type.Optional(
    Type.String({ maxLength: 1024, description: 'Password protecting the .pfx (required for pfx)' }),
  ),
  pfxEncryption: Type.Optional(
    Type.Union([Type.Literal('aes256'), Type.Literal('legacy')], {
      default: 'aes256',
      description:
        'aes256: PBES2 AES-256-CBC, PBKDF2-HMAC-SHA256, SHA-256 MAC. legacy: 3DES, SHA-1 MAC (old Windows/Java)',
    }),
  ),
  keyPassphrase: Type.Optional(
    Type.String({
      maxLength: 1024,
      description: 'format key: encrypt the PKCS#8 key with AES-256 under this passphrase',
    }),
  ),
  password: Type.Optional(
    Type.String({ maxLength: 1024, description: 'Account password (pfx and key only)' }),
  ),
  totp: Type.Optional(TotpCode),
});
export type CertificateExportBody = Static<typeof CertificateExportBody>;

/** PATCH /api/certificates/:id: the display name; empty or null goes back to the common name. */
export const CertificatePatchBody = Type.Object({
  name: Nullable(Type.String({ maxLength: 200, description: 'Display name; "" or null clears it' })),
});
export type CertificatePatchBody = Static<typeof CertificatePatchBody>;

export const ExpirySettings = Type.Object({
  thresholds: Type.Array(Type.Integer({ minimum: 1, maximum: 3650 }), {
    minItems: 1,
    maxItems: 10,
    description: 'Warning thresholds in days, e.g. [30, 14, 7]',
  }),
});
export type ExpirySettings = Static<typeof ExpirySettings>;

export const PendingCsrSummary = Type.Object({
  id: Type.Integer(),
  commonName: Type.String(),
  createdAt: Type.String(),
  renewsCertificateId: Nullable(Type.Integer()),
});

export const Dashboard = Type.Object({
  now: Type.String(),
  thresholds: Type.Array(Type.Integer()),
  active: Nullable(CertificateSummary),
  httpsEnabled: Type.Boolean(),
  counts: Type.Object({
    total: Type.Integer(),
    active: Type.Integer(),
    available: Type.Integer(),
    pending_key: Type.Integer(),
    expired: Type.Integer(),
    superseded: Type.Integer(),
  }),
  /** Not superseded, not yet expired, expiring within the largest threshold; soonest first, at most 50. */
  expiringSoon: Type.Array(Type.Object({ ...CertificateSummary.properties, threshold: Type.Integer() })),
  /** Expired and not superseded, at most 20: those still in use first, then the most recently expired. */
  expired: Type.Array(CertificateSummary),
  pendingCsrs: Type.Array(PendingCsrSummary),
  /** Deployment targets whose last deployment failed or whose service drifted (issue 12). */
  targets: Type.Object({ total: Type.Integer(), failed: Type.Integer(), drifting: Type.Integer() }),
});
export type Dashboard = Static<typeof Dashboard>;

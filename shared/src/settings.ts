import { type Static, Type } from 'typebox';

/** The committed fields of Server Settings (API.md "Server settings and HTTPS mode"). */
export const ServerSettingsFields = Type.Object({
  httpsEnabled: Type.Boolean(),
  httpPort: Type.Integer({ minimum: 0, maximum: 65535 }),
  httpsPort: Type.Integer({ minimum: 0, maximum: 65535 }),
  activeCertificateId: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  /** Host names (or IP addresses) clients use to reach this server, e.g. the NAT address. */
  serverNames: Type.Array(Type.String({ minLength: 1, maxLength: 253 }), { maxItems: 50 }),
  redirectHttp: Type.Boolean(),
  /**
   * AIA "CA Issuers" downloads may reach loopback and private addresses (RFC 1918, CGNAT, ULA), for a
   * CA inside the network. Off by default: a certificate's URL must not probe the internal network.
   */
  aiaAllowPrivate: Type.Boolean(),
});
export type ServerSettingsFields = Static<typeof ServerSettingsFields>;

/** PUT body: any subset of the fields; missing ones keep their committed value. */
// API.md: PUT takes "the same fields" as GET, so a client may send back what it read; the read-only
// fields (pendingChange, lastRevert, listeners, ...) are accepted and ignored.
export const ServerSettingsUpdate = Type.Partial(ServerSettingsFields, { additionalProperties: true });
export type ServerSettingsUpdate = Static<typeof ServerSettingsUpdate>;

export const PendingChange = Type.Object({
  createdAt: Type.String(),
  expiresAt: Type.String(),
  /** The settings that become committed once confirmed. */
  settings: ServerSettingsFields,
  /** Names of the fields that change. */
  changes: Type.Array(Type.String()),
  /** Open this address and confirm from there (`POST /api/settings/server/confirm`). */
  confirmUrl: Type.String(),
  /** Which listener must carry the confirmation. */
  confirmOver: Type.Union([Type.Literal('https'), Type.Literal('http')]),
});
export type PendingChange = Static<typeof PendingChange>;

export const LastRevert = Type.Object({
  at: Type.String(),
  reason: Type.String(),
  /** The fields of the change that was undone. */
  changes: Type.Array(Type.String()),
  /** The settings of the change that was undone (the form offers them again, to fix and retry). */
  settings: Type.Optional(ServerSettingsFields),
});
export type LastRevert = Static<typeof LastRevert>;

export const ProbeEntry = Type.Object({
  serverName: Type.String(),
  ok: Type.Boolean(),
  /** Why the handshake or the verification failed, as a client would report it. */
  error: Type.Union([Type.String(), Type.Null()]),
  protocol: Type.Union([Type.String(), Type.Null()]),
  cipher: Type.Union([Type.String(), Type.Null()]),
  subject: Type.Union([Type.String(), Type.Null()]),
  issuer: Type.Union([Type.String(), Type.Null()]),
  thumbprintSha1: Type.Union([Type.String(), Type.Null()]),
  notAfter: Type.Union([Type.String(), Type.Null()]),
  /** Subjects of the chain as the client built it: leaf first, up to the trust anchor it found. */
  chainSubjects: Type.Array(Type.String()),
  chainVerified: Type.Boolean(),
  hostnameVerified: Type.Boolean(),
});
export type ProbeEntry = Static<typeof ProbeEntry>;

export const ProbeResult = Type.Object({
  at: Type.String(),
  port: Type.Union([Type.Integer(), Type.Null()]),
  results: Type.Array(ProbeEntry),
});
export type ProbeResult = Static<typeof ProbeResult>;

export const ServerSettings = Type.Object({
  ...ServerSettingsFields.properties,
  pendingChange: Type.Union([PendingChange, Type.Null()]),
  lastRevert: Type.Union([LastRevert, Type.Null()]),
  /** HTTPS is committed (confirmed): HSTS is sent and HTTP redirects. */
  httpsConfirmed: Type.Boolean(),
  /** Ports actually bound now (they differ from the settings while a change is pending, or with port 0). */
  listeners: Type.Object({
    http: Type.Union([Type.Integer(), Type.Null()]),
    https: Type.Union([Type.Integer(), Type.Null()]),
  }),
  confirmSeconds: Type.Number(),
  lastProbe: Type.Union([ProbeResult, Type.Null()]),
  /**
   * The ports CERTDESK_HTTP_PORT / CERTDESK_HTTPS_PORT set: they win over the stored settings and cannot be
   * changed here (422 PORT_SET_BY_ENVIRONMENT); change the environment and restart instead.
   */
  portsSetByEnvironment: Type.Object({ httpPort: Type.Boolean(), httpsPort: Type.Boolean() }),
});
export type ServerSettings = Static<typeof ServerSettings>;

export const Binding = Type.Object({
  id: Type.Integer(),
  /** null for the default certificate (address:port, settings.activeCertificateId). */
  hostname: Type.Union([Type.String(), Type.Null()]),
  port: Type.Integer(),
  /** The address the HTTPS port listens on (CERTDESK_HOST: 127.0.0.1, 0.0.0.0, ::). */
  address: Type.String(),
  certificateId: Type.Integer(),
  thumbprintSha1: Type.String(),
  commonName: Type.Union([Type.String(), Type.Null()]),
  notAfter: Type.String(),
  isDefault: Type.Boolean(),
  createdAt: Type.Union([Type.String(), Type.Null()]),
});
export type Binding = Static<typeof Binding>;

export const BindingList = Type.Object({ items: Type.Array(Binding) });
export type BindingList = Static<typeof BindingList>;

export const BindingCreateBody = Type.Object(
  {
    hostname: Type.Optional(Type.String({ minLength: 1, maxLength: 253 })),
    certificateId: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);
export type BindingCreateBody = Static<typeof BindingCreateBody>;

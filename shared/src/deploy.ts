import { type Static, type TSchema, Type } from 'typebox';

/** Deployment targets (API.md "Deployment targets", PRODUCT.md §11). */

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const DEPLOY_CONTENTS = [
  'cert',
  'chain',
  'fullchain',
  'key',
  'cert+key',
  'fullchain+key',
  'pfx',
] as const;
export const DeployContent = Type.Union([
  Type.Literal('cert'),
  Type.Literal('chain'),
  Type.Literal('fullchain'),
  Type.Literal('key'),
  Type.Literal('cert+key'),
  Type.Literal('fullchain+key'),
  Type.Literal('pfx'),
]);
export type DeployContent = Static<typeof DeployContent>;

export const StartTls = Type.Union([
  Type.Literal('smtp'),
  Type.Literal('imap'),
  Type.Literal('pop3'),
  Type.Literal('ftp'),
]);
export type StartTls = Static<typeof StartTls>;

export const DeployFile = Type.Object({
  path: Type.String({ minLength: 1, maxLength: 1024, description: 'Absolute path on the target' }),
  content: DeployContent,
  mode: Type.Optional(
    Type.String({
      pattern: '^0?[0-7]{3}$',
      description: 'Octal permissions, e.g. "0640". Default 0600 for files holding the key, else 0644',
    }),
  ),
  owner: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'User name or numeric id' })),
  group: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'Group name or numeric id' })),
});
export type DeployFile = Static<typeof DeployFile>;

export const DeployVerify = Type.Object({
  host: Type.String({ minLength: 1, maxLength: 253 }),
  port: Type.Integer({ minimum: 1, maximum: 65535 }),
  serverName: Type.Optional(Type.String({ minLength: 1, maxLength: 253, description: 'SNI name' })),
  starttls: Type.Optional(StartTls),
});
export type DeployVerify = Static<typeof DeployVerify>;

export const SshTargetInput = Type.Object({
  host: Type.String({ minLength: 1, maxLength: 253 }),
  port: Type.Integer({ minimum: 1, maximum: 65535, default: 22 }),
  username: Type.String({ minLength: 1, maxLength: 64 }),
  hostKeySha256: Type.String({
    pattern: '^SHA256:[A-Za-z0-9+/]{43}=?$',
    description: 'The server host key fingerprint as `ssh-keygen -l` prints it',
  }),
  privateKey: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 16384,
      description: 'OpenSSH or PEM private key; sealed at rest, never returned. Optional on update',
    }),
  ),
});

export const TargetKind = Type.Union([Type.Literal('local'), Type.Literal('ssh')]);
export type TargetKind = Static<typeof TargetKind>;

const targetFields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  certificateId: Type.Integer({ minimum: 1 }),
  kind: TargetKind,
  ssh: Type.Optional(SshTargetInput),
  files: Type.Array(DeployFile, { minItems: 1, maxItems: 20 }),
  pfxPassword: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  hook: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
  verify: Type.Optional(Nullable(DeployVerify)),
};

export const TargetCreateBody = Type.Object(targetFields, { additionalProperties: false });
export type TargetCreateBody = Static<typeof TargetCreateBody>;

/** PATCH: any subset; a missing SSH private key or PFX password keeps the stored one. */
export const TargetUpdateBody = Type.Partial(Type.Object(targetFields), { additionalProperties: false });
export type TargetUpdateBody = Static<typeof TargetUpdateBody>;

/** What the TLS check saw: the served leaf, or why there was none. */
export const DeployProbe = Type.Object({
  ok: Type.Boolean({ description: 'The served certificate is the one expected' }),
  host: Type.String(),
  port: Type.Integer(),
  fingerprintSha256: Nullable(Type.String()),
  subject: Nullable(Type.String()),
  notAfter: Nullable(Type.String()),
  error: Nullable(Type.String()),
  attempts: Type.Integer(),
});
export type DeployProbe = Static<typeof DeployProbe>;

export const DeploymentStatus = Type.Union([
  Type.Literal('deployed'),
  Type.Literal('failed'),
  Type.Literal('rolled-back'),
]);
export type DeploymentStatus = Static<typeof DeploymentStatus>;

export const DeployStep = Type.Object({
  step: Type.String({ description: 'write, hook, verify, restore, hook-after-restore' }),
  ok: Type.Boolean(),
  message: Type.String(),
  ms: Type.Integer(),
});
export type DeployStep = Static<typeof DeployStep>;

export const Deployment = Type.Object({
  id: Type.Integer(),
  targetId: Type.Integer(),
  certificateId: Nullable(Type.Integer()),
  at: Type.String(),
  status: DeploymentStatus,
  fingerprintSha256: Nullable(Type.String()),
  message: Type.String(),
  probe: Nullable(DeployProbe),
  /** The step that failed, null when deployed. */
  step: Nullable(Type.String()),
  hookOutputTail: Nullable(Type.String()),
  steps: Type.Array(DeployStep),
  trigger: Type.String({ description: 'manual, promote, restore, renew or cli' }),
});
export type Deployment = Static<typeof Deployment>;

export const Target = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  certificateId: Type.Integer(),
  certificateCommonName: Nullable(Type.String()),
  kind: TargetKind,
  ssh: Nullable(
    Type.Object({
      host: Type.String(),
      port: Type.Integer(),
      username: Type.String(),
      hostKeySha256: Type.String(),
      hasPrivateKey: Type.Boolean(),
    }),
  ),
  files: Type.Array(
    Type.Object({
      path: Type.String(),
      content: DeployContent,
      mode: Type.String(),
      owner: Nullable(Type.String()),
      group: Nullable(Type.String()),
    }),
  ),
  hasPfxPassword: Type.Boolean(),
  hook: Nullable(Type.String()),
  verify: Nullable(DeployVerify),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  lastDeployment: Nullable(Deployment),
  /** The verified service serves another certificate than the one deployed, an expired one, or nothing. */
  drift: Type.Boolean(),
  driftMessage: Nullable(Type.String()),
  lastCheck: Nullable(Type.Object({ at: Type.String(), probe: DeployProbe })),
});
export type Target = Static<typeof Target>;

export const TargetList = Type.Object({ items: Type.Array(Target) });
export type TargetList = Static<typeof TargetList>;

export const DeployResult = Type.Object({
  ...Deployment.properties,
  status: Type.Literal('deployed'),
});
export type DeployResult = Static<typeof DeployResult>;

export const DeploymentList = Type.Object({ items: Type.Array(Deployment) });
export type DeploymentList = Static<typeof DeploymentList>;

export const DeploymentHistoryQuery = Type.Object({
  targetId: Type.Optional(Type.Integer({ minimum: 1 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
});

export const DeployHookList = Type.Object({ items: Type.Array(Type.Object({ name: Type.String() })) });
export type DeployHookList = Static<typeof DeployHookList>;

/** The server-side configuration that bounds targets, shown read-only in the UI. */
export const DeployConfig = Type.Object({
  localEnabled: Type.Boolean(),
  roots: Type.Array(Type.String()),
  hooks: Type.Array(
    Type.Object({ name: Type.String(), command: Type.Array(Type.String()), timeoutSeconds: Type.Number() }),
  ),
  sshAvailable: Type.Boolean(),
  driftCheckMinutes: Type.Number(),
  howToChange: Type.String(),
});
export type DeployConfig = Static<typeof DeployConfig>;

import type {
  DeployProbe,
  DeployStatus,
  DeployStepReport,
} from '../../../components/deploy-outcome-types.js';

export type {
  DeployFailure,
  DeployOutcome,
  DeployProbe,
  DeploySuccess,
} from '../../../components/deploy-outcome-types.js';

/** Request and response shapes of API.md "Deployment targets", as this page uses them. */

export const FILE_CONTENTS = [
  'fullchain',
  'cert',
  'chain',
  'key',
  'fullchain+key',
  'cert+key',
  'pfx',
] as const;
export type FileContent = (typeof FILE_CONTENTS)[number];

export const STARTTLS_PROTOCOLS = ['smtp', 'imap', 'pop3', 'ftp'] as const;
export type StartTls = (typeof STARTTLS_PROTOCOLS)[number];

export type TargetKind = 'local' | 'ssh';

export interface TargetFile {
  path: string;
  content: FileContent;
  mode?: string;
  owner?: string | null;
  group?: string | null;
}

export interface TargetVerify {
  host: string;
  port: number;
  serverName?: string | null;
  starttls?: StartTls | null;
}

/** The SSH connection as the server answers it: the private key is never sent back. */
export interface TargetSsh {
  host: string;
  port: number;
  username: string;
  hostKeySha256: string;
  hasPrivateKey?: boolean;
}

export interface LastDeployment {
  at: string;
  status: DeployStatus;
  /** SHA-256 of the certificate that was deployed. */
  fingerprintSha256: string | null;
  message: string | null;
  probe: DeployProbe | null;
  /** The step that failed, null when deployed. */
  step?: string | null;
  hookOutputTail?: string | null;
  steps?: DeployStepReport[];
  /** manual, promote, restore, renew or cli. */
  trigger?: string;
}

export interface DeployTarget {
  id: number;
  name: string;
  certificateId: number;
  certificateCommonName?: string | null;
  kind: TargetKind;
  ssh?: TargetSsh | null;
  files: TargetFile[];
  hook?: string | null;
  verify?: TargetVerify | null;
  lastDeployment: LastDeployment | null;
  /** True when the verified service serves another certificate than the one deployed. */
  drift: boolean;
  driftMessage?: string | null;
  /** The last TLS check (the periodic re-check, "Check now" or a deployment). */
  lastCheck?: { at: string; probe: DeployProbe } | null;
  hasPfxPassword?: boolean;
  createdAt?: string;
  updatedAt?: string;
}

export interface TargetList {
  items: DeployTarget[];
}

/** POST /api/targets, and PATCH with the same fields (absent secrets keep the stored ones). */
export interface TargetBody {
  name: string;
  certificateId: number;
  kind: TargetKind;
  ssh?: {
    host: string;
    port: number;
    username: string;
    hostKeySha256: string;
    privateKey?: string;
  };
  files: TargetFile[];
  pfxPassword?: string;
  hook?: string | null;
  verify?: TargetVerify | null;
}

export interface DeployHookName {
  name: string;
}

export interface DeployHooks {
  items: DeployHookName[];
}

/** GET /api/deploy/config: what the server allows, set by its environment (read-only here). */
export interface DeployHookConfig {
  name: string;
  command: string[];
  timeoutSeconds?: number;
}

export interface DeployConfig {
  /** False when CERTDESK_DEPLOY_ROOTS is unset: local targets are refused. */
  localEnabled: boolean;
  roots: string[];
  hooks: DeployHookConfig[];
  sshAvailable?: boolean;
  /** Minutes between two automatic drift checks. */
  driftCheckMinutes?: number;
  /** The server's own sentence on how to change the roots and hooks. */
  howToChange?: string;
}

/**
 * The deploy error codes this page reacts to. They are declared by the backend in shared/src/errors.ts;
 * kept here as one list so every comparison is against a name, not a string typed in place.
 */
export const DEPLOY_CODES = {
  DEPLOY_FAILED: 'DEPLOY_FAILED',
  DEPLOY_DISABLED: 'DEPLOY_DISABLED',
  PATH_NOT_ALLOWED: 'PATH_NOT_ALLOWED',
  UNKNOWN_HOOK: 'UNKNOWN_HOOK',
} as const;

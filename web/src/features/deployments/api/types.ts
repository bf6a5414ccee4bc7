import type { DeployProbe, DeployStatus } from '../../../components/deploy-outcome-types.js';

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
  owner?: string;
  group?: string;
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
}

export interface LastDeployment {
  at: string;
  status: DeployStatus;
  fingerprintSha256: string | null;
  message: string | null;
  probe: DeployProbe | null;
  step?: string | null;
}

export interface DeployTarget {
  id: number;
  name: string;
  certificateId: number;
  kind: TargetKind;
  ssh?: TargetSsh | null;
  files: TargetFile[];
  hook?: string | null;
  verify?: TargetVerify | null;
  lastDeployment: LastDeployment | null;
  /** True when the verified service serves another certificate than the one deployed. */
  drift: boolean;
  /** When `drift` was last computed (the periodic re-check or "Check now"). */
  driftCheckedAt?: string | null;
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
  roots: string[];
  hooks: DeployHookConfig[];
  /** Seconds between two automatic drift checks (null: no periodic check). */
  driftIntervalSeconds?: number | null;
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

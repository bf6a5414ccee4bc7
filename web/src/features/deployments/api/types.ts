import type { DeployContent, StartTls, Target } from '@certdesk/shared/types';

/** Request and response shapes of API.md "Deployment targets": the shared types, under this page's names. */
export type {
  DeployConfig,
  DeployContent as FileContent,
  DeployHookList as DeployHooks,
  Deployment as LastDeployment,
  StartTls,
  Target as DeployTarget,
  TargetCreateBody as TargetBody,
  TargetKind,
  TargetList,
  TargetUpdateBody,
} from '@certdesk/shared/types';
export type {
  DeployFailure,
  DeployOutcome,
  DeployProbe,
  DeploySuccess,
} from '../../../components/deploy-outcome-types.js';

export type TargetFile = Target['files'][number];

// Values, not types: the shared schemas' own lists would bring TypeBox into the bundle.
/** In the order an administrator usually picks them (PEM full chain and key first). */
export const FILE_CONTENTS = [
  'fullchain',
  'key',
  'cert',
  'chain',
  'fullchain+key',
  'cert+key',
  'pfx',
] as const satisfies readonly DeployContent[];

export const STARTTLS_PROTOCOLS = ['smtp', 'imap', 'pop3', 'ftp'] as const satisfies readonly StartTls[];

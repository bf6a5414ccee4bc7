import { resourceKeys } from '../../../lib/query-keys.js';

export const deploymentKeys = {
  all: resourceKeys.deployTargets,
  list: [...resourceKeys.deployTargets, 'list'] as const,
  detail: (id: number) => [...resourceKeys.deployTargets, 'detail', id] as const,
  config: resourceKeys.deployConfig,
  hooks: [...resourceKeys.deployConfig, 'hooks'] as const,
  /** This feature's own read of the inventory, under the certificates root so imports refresh it. */
  certificateOptions: [...resourceKeys.certificates, 'deploy-options'] as const,
};

import { resourceKeys } from '../../../lib/query-keys.js';

export const dashboardKeys = {
  all: resourceKeys.dashboard,
  expirySettings: resourceKeys.expirySettings,
  /** Under the targets root: a deployment or check anywhere refreshes the counts. */
  deploymentHealth: [...resourceKeys.deployTargets, 'health'] as const,
};

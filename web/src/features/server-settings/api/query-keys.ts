import { resourceKeys } from '../../../lib/query-keys.js';

export const serverSettingsKeys = {
  settings: resourceKeys.serverSettings,
  bindings: resourceKeys.bindings,
  security: resourceKeys.securitySettings,
  /** This feature's own read of the inventory, under the certificates root so imports refresh it. */
  certificateOptions: [...resourceKeys.certificates, 'options'] as const,
};

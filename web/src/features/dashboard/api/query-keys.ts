import { resourceKeys } from '../../../lib/query-keys.js';

export const dashboardKeys = {
  all: resourceKeys.dashboard,
  expirySettings: resourceKeys.expirySettings,
};

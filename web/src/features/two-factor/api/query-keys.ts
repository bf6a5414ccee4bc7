import { resourceKeys } from '../../../lib/query-keys.js';

export const twoFactorKeys = {
  status: resourceKeys.twoFactor,
};

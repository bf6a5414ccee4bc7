import { resourceKeys } from '../../../lib/query-keys.js';

export const importKeys = {
  policy: [...resourceKeys.certificates, 'policy'] as const,
};

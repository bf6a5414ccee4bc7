import { resourceKeys } from '../../../lib/query-keys.js';

export const authKeys = {
  all: resourceKeys.auth,
  me: [...resourceKeys.auth, 'me'] as const,
  setupStatus: [...resourceKeys.auth, 'setup'] as const,
};

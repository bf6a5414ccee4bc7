import { resourceKeys } from '../../../lib/query-keys.js';

export const userKeys = {
  all: resourceKeys.users,
};

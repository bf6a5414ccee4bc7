import { resourceKeys } from '../../../lib/query-keys.js';

export const tokenKeys = {
  all: resourceKeys.tokens,
};

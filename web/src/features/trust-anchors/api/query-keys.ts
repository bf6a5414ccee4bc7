import { resourceKeys } from '../../../lib/query-keys.js';

export const trustAnchorKeys = {
  all: resourceKeys.trustAnchors,
};

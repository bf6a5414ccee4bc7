import { resourceKeys } from '../../../lib/query-keys.js';

export const csrKeys = {
  all: resourceKeys.csrs,
  list: [...resourceKeys.csrs, 'list'] as const,
  detail: (id: number) => [...resourceKeys.csrs, 'detail', id] as const,
  countries: [...resourceKeys.csrs, 'countries'] as const,
};

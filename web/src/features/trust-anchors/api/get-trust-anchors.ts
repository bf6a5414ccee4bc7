import type { TrustAnchorList } from '@certdesk/shared/types';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { trustAnchorKeys } from './query-keys.js';

export const trustAnchorsQueryOptions = queryOptions({
  queryKey: trustAnchorKeys.all,
  queryFn: ({ signal }) => api.get<TrustAnchorList>('/trust-anchors', undefined, signal),
});

export function useTrustAnchors() {
  return useQuery(trustAnchorsQueryOptions);
}

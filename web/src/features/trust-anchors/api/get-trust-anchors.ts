import type { TrustAnchorList } from '@certdesk/shared';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';

export const trustAnchorsQueryKey = ['trust-anchors'] as const;

export const trustAnchorsQueryOptions = queryOptions({
  queryKey: trustAnchorsQueryKey,
  queryFn: ({ signal }) => api.get<TrustAnchorList>('/trust-anchors', undefined, signal),
});

export function useTrustAnchors() {
  return useQuery(trustAnchorsQueryOptions);
}

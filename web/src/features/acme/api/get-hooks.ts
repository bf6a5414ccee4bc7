import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { acmeKeys } from './query-keys.js';

export function useDnsHooks() {
  return useQuery({
    queryKey: acmeKeys.hooks,
    queryFn: ({ signal }) => api.get<{ items: { name: string }[] }>('/acme/hooks', undefined, signal),
  });
}

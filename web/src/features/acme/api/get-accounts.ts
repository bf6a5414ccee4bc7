import type { AcmeAccountList } from '@certdesk/shared/types';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { acmeKeys } from './query-keys.js';

export function useAcmeAccounts() {
  return useQuery({
    queryKey: acmeKeys.accounts,
    queryFn: ({ signal }) => api.get<AcmeAccountList>('/acme/accounts', undefined, signal),
  });
}

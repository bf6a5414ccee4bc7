import type { AcmeOrder } from '@certdesk/shared/types';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { invalidateInventory } from '../../../lib/query-keys.js';
import { acmeKeys } from './query-keys.js';

/** Polls the order every second while the CA validates; stops once it is valid, invalid or waits for DNS. */
export function useAcmeOrder(id: number | null) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: acmeKeys.order(id ?? 0),
    enabled: id !== null,
    queryFn: async ({ signal }) => {
      const order = await api.get<AcmeOrder>(`/acme/orders/${id}`, undefined, signal);
      if (order.status === 'valid') void invalidateInventory(queryClient);
      return order;
    },
    refetchInterval: (query) => {
      const o = query.state.data;
      if (!o) return 1000;
      return o.status === 'valid' || o.status === 'invalid' || o.stage === 'awaiting-dns' ? false : 1000;
    },
  });
}

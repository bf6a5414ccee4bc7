import type { NotificationDeliveries } from '@certdesk/shared/types';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { notificationKeys } from './query-keys.js';

export function getDeliveries(signal?: AbortSignal): Promise<NotificationDeliveries> {
  return api.get<NotificationDeliveries>('/notifications/deliveries', { limit: 50 }, signal);
}

/** Refreshed every 30 s: retries happen in the background. */
export function useDeliveries() {
  return useQuery(
    queryOptions({
      queryKey: notificationKeys.deliveries,
      queryFn: ({ signal }) => getDeliveries(signal),
      refetchInterval: 30_000,
    }),
  );
}

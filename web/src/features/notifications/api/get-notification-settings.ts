import type { NotificationSettings } from '@certdesk/shared/types';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { notificationKeys } from './query-keys.js';

export function getNotificationSettings(signal?: AbortSignal): Promise<NotificationSettings> {
  return api.get<NotificationSettings>('/settings/notifications', undefined, signal);
}

export function useNotificationSettings() {
  return useQuery(
    queryOptions({
      queryKey: notificationKeys.settings,
      queryFn: ({ signal }) => getNotificationSettings(signal),
    }),
  );
}

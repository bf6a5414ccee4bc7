import type { NotificationSettings, NotificationSettingsUpdate } from '@certdesk/shared/types';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { notificationKeys } from './query-keys.js';

export function updateNotificationSettings(body: NotificationSettingsUpdate): Promise<NotificationSettings> {
  return api.put<NotificationSettings>('/settings/notifications', body);
}

export function useUpdateNotificationSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateNotificationSettings,
    onSuccess: (data) => queryClient.setQueryData(notificationKeys.settings, data),
  });
}

import type { NotificationTestResult } from '@certdesk/shared/types';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { notificationKeys } from './query-keys.js';

export function sendTestNotification(): Promise<NotificationTestResult> {
  return api.post<NotificationTestResult>('/settings/notifications/test');
}

export function useSendTestNotification() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: sendTestNotification,
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationKeys.deliveries }),
  });
}

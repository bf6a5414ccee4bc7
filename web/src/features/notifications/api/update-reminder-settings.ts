import type { ReminderSettings } from '@certdesk/shared/types';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { notificationKeys } from './query-keys.js';

export function updateReminderSettings(body: ReminderSettings): Promise<ReminderSettings> {
  return api.put<ReminderSettings>('/settings/reminders', body);
}

export function useUpdateReminderSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateReminderSettings,
    onSuccess: (data) => {
      queryClient.setQueryData(notificationKeys.reminderSettings, data);
      return queryClient.invalidateQueries({ queryKey: notificationKeys.reminders });
    },
  });
}

import type { ReminderSettings } from '@certdesk/shared/types';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { notificationKeys } from './query-keys.js';

export function getReminderSettings(signal?: AbortSignal): Promise<ReminderSettings> {
  return api.get<ReminderSettings>('/settings/reminders', undefined, signal);
}

export function useReminderSettings() {
  return useQuery(
    queryOptions({
      queryKey: notificationKeys.reminderSettings,
      queryFn: ({ signal }) => getReminderSettings(signal),
    }),
  );
}

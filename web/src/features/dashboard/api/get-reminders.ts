import type { RemindersDue } from '@certdesk/shared/types';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { dashboardKeys } from './query-keys.js';

export function getReminders(signal?: AbortSignal): Promise<RemindersDue> {
  return api.get<RemindersDue>('/dashboard/reminders', undefined, signal);
}

export function useReminders() {
  return useQuery(
    queryOptions({
      queryKey: dashboardKeys.reminders,
      queryFn: ({ signal }) => getReminders(signal),
      refetchInterval: 60_000,
    }),
  );
}

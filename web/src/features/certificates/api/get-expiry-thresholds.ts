import type { ExpirySettings } from '@certdesk/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';

/** The warning thresholds colour the days-left badges (same cache entry as the dashboard's). */
export function useExpiryThresholds(): number[] {
  const q = useQuery({
    queryKey: ['settings', 'expiry'],
    queryFn: ({ signal }) => api.get<ExpirySettings>('/settings/expiry', undefined, signal),
    staleTime: 60_000,
  });
  return q.data?.thresholds ?? [30, 14, 7];
}

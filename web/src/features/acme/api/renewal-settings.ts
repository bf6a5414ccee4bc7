import type { RenewalSettings, RenewalSettingsUpdate } from '@certdesk/shared/types';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { acmeKeys } from './query-keys.js';

export function useRenewalSettings() {
  return useQuery({
    queryKey: acmeKeys.renewal,
    queryFn: ({ signal }) => api.get<RenewalSettings>('/settings/renewal', undefined, signal),
  });
}

export function useUpdateRenewalSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: RenewalSettingsUpdate) => api.put<RenewalSettings>('/settings/renewal', body),
    onSuccess: (data) => queryClient.setQueryData(acmeKeys.renewal, data),
  });
}

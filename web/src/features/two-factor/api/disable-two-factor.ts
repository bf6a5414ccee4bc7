import type { TotpReauthBody } from '@certdesk/shared/types';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { twoFactorKeys } from './query-keys.js';

export function disableTwoFactor(body: TotpReauthBody): Promise<void> {
  return api.post<void>('/auth/totp/disable', body);
}

export function useDisableTwoFactor() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: disableTwoFactor,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: twoFactorKeys.status }),
  });
}

import type { RecoveryCodes, TotpEnableBody } from '@certdesk/shared/types';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';

export function enableTwoFactor(body: TotpEnableBody): Promise<RecoveryCodes> {
  return api.post<RecoveryCodes>('/auth/totp/enable', body);
}

export function useEnableTwoFactor() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: enableTwoFactor,
    // Enrolled: every page fenced off by "require two-factor" answers again, so refetch them all.
    onSuccess: () => queryClient.invalidateQueries(),
  });
}

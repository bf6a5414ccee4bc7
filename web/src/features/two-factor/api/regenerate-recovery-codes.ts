import type { RecoveryCodes, TotpReauthBody } from '@certdesk/shared/types';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { twoFactorKeys } from './query-keys.js';

/** New codes; the old ones stop working. */
export function regenerateRecoveryCodes(body: TotpReauthBody): Promise<RecoveryCodes> {
  return api.post<RecoveryCodes>('/auth/totp/recovery-codes', body);
}

export function useRegenerateRecoveryCodes() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: regenerateRecoveryCodes,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: twoFactorKeys.status }),
  });
}

import type { PasswordResetAnswer } from '@certdesk/shared/types';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { userKeys } from './query-keys.js';

/** Answers the one-time password, the only time it is ever shown. */
export function resetPassword(id: number): Promise<PasswordResetAnswer> {
  return api.post<PasswordResetAnswer>(`/users/${id}/reset-password`);
}

export function useResetPassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: resetPassword,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userKeys.all }),
  });
}

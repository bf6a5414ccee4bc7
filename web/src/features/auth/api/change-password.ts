import type { PasswordChangeBody } from '@certdesk/shared/types';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';

/** The server ends the account's other sessions; this one stays signed in. */
export function changePassword(body: PasswordChangeBody): Promise<void> {
  return api.post<void>('/auth/password', body);
}

export function useChangePassword() {
  return useMutation({ mutationFn: changePassword });
}

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from '../../../lib/api-client.js';

/** Ends every session of the account, this one included ("sign out everywhere"). */
export async function logoutAll(): Promise<void> {
  await api.post<void>('/auth/logout-all');
}

export function useLogoutAll() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logoutAll,
    onSuccess: () => {
      setCsrfToken(null);
      queryClient.clear();
    },
  });
}

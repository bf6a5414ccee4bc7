import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, setCsrfToken } from '../../../lib/api-client.js';

export async function logout(): Promise<void> {
  await api.post<void>('/auth/logout');
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logout,
    // Forget the session locally even when the server already had (a 401 here means "already signed out").
    onSettled: () => {
      setCsrfToken(null);
      queryClient.clear();
    },
  });
}

import type { UserAccount, UserUpdateBody } from '@certdesk/shared/types';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { resourceKeys } from '../../../lib/query-keys.js';
import { userKeys } from './query-keys.js';

/** Role change, disable or enable. */
export function updateUser({ id, ...body }: UserUpdateBody & { id: number }): Promise<UserAccount> {
  return api.patch<UserAccount>(`/users/${id}`, body);
}

export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateUser,
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: userKeys.all }),
        // A disabled account's tokens stop working: the admin's token list shows whose they are.
        queryClient.invalidateQueries({ queryKey: resourceKeys.tokens }),
      ]),
  });
}

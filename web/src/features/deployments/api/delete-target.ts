import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { resourceKeys } from '../../../lib/query-keys.js';

export function deleteTarget(id: number): Promise<void> {
  return api.delete(`/targets/${id}`);
}

export function useDeleteTarget() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteTarget,
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: resourceKeys.deployTargets }),
        queryClient.invalidateQueries({ queryKey: resourceKeys.dashboard }),
      ]),
  });
}

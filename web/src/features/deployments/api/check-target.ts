import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { resourceKeys } from '../../../lib/query-keys.js';
import { deploymentKeys } from './query-keys.js';
import type { DeployTarget } from './types.js';

/** Re-checks the target's verify address now: the answer carries a fresh `drift`. */
export function checkTarget(id: number): Promise<DeployTarget> {
  return api.post<DeployTarget>(`/targets/${id}/check`);
}

export function useCheckTarget() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: checkTarget,
    onSuccess: (target) => {
      queryClient.setQueryData(deploymentKeys.detail(target.id), target);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: deploymentKeys.list }),
        queryClient.invalidateQueries({ queryKey: resourceKeys.dashboard }),
      ]);
    },
  });
}

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { resourceKeys } from '../../../lib/query-keys.js';
import type { DeployTarget, TargetBody } from './types.js';

/** PATCH: a secret left out (SSH private key, PFX password) keeps the stored one. */
export function updateTarget({ id, body }: { id: number; body: Partial<TargetBody> }): Promise<DeployTarget> {
  return api.patch<DeployTarget>(`/targets/${id}`, body);
}

export function useUpdateTarget() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateTarget,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: resourceKeys.deployTargets }),
  });
}

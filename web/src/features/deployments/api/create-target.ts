import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { resourceKeys } from '../../../lib/query-keys.js';
import type { DeployTarget, TargetBody } from './types.js';

export function createTarget(body: TargetBody): Promise<DeployTarget> {
  return api.post<DeployTarget>('/targets', body);
}

export function useCreateTarget() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createTarget,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: resourceKeys.deployTargets }),
  });
}

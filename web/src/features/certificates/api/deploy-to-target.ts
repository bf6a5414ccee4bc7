import { ERROR_CODES } from '@certdesk/shared/errors';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type {
  DeployFailure,
  DeployOutcome,
  DeploySuccess,
} from '../../../components/deploy-outcome-types.js';
import { api, isApiError } from '../../../lib/api-client.js';
import { resourceKeys } from '../../../lib/query-keys.js';

/** Deploys this certificate to one of its targets; a rollback resolves with what failed (422 DEPLOY_FAILED). */
export async function deployToTarget(targetId: number): Promise<DeployOutcome> {
  try {
    return { ok: true, result: await api.post<DeploySuccess>(`/targets/${targetId}/deploy`) };
  } catch (error) {
    if (isApiError(error, ERROR_CODES.DEPLOY_FAILED)) {
      return { ok: false, failure: error.body as unknown as DeployFailure };
    }
    throw error;
  }
}

export function useDeployToTarget() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deployToTarget,
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: resourceKeys.deployTargets }),
        queryClient.invalidateQueries({ queryKey: resourceKeys.dashboard }),
      ]),
  });
}

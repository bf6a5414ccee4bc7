import { ERROR_CODES } from '@certdesk/shared/errors';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, isApiError } from '../../../lib/api-client.js';
import { resourceKeys } from '../../../lib/query-keys.js';
import type { DeployFailure, DeployOutcome, DeploySuccess } from './types.js';

/**
 * Deploys now. A rolled-back deployment is an answer, not an error: the 422 DEPLOY_FAILED body says which
 * step failed and what the hook and the handshake showed, so it resolves as `{ ok: false, failure }`.
 * Anything else (not found, network) still rejects.
 */
export async function deployTarget(id: number): Promise<DeployOutcome> {
  try {
    return { ok: true, result: await api.post<DeploySuccess>(`/targets/${id}/deploy`) };
  } catch (error) {
    if (isApiError(error, ERROR_CODES.DEPLOY_FAILED)) {
      return { ok: false, failure: error.body as unknown as DeployFailure };
    }
    throw error;
  }
}

export function useDeployTarget() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deployTarget,
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: resourceKeys.deployTargets }),
        queryClient.invalidateQueries({ queryKey: resourceKeys.dashboard }),
      ]),
  });
}

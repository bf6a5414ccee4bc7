import type { ProbeResult } from '@certdesk/shared/types';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { serverSettingsKeys } from './query-keys.js';

/** A real TLS handshake to this server for each server name: what clients see now. */
export function probeServer(): Promise<ProbeResult> {
  return api.post<ProbeResult>('/settings/server/probe');
}

export function useProbeServer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: probeServer,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: serverSettingsKeys.settings }),
  });
}

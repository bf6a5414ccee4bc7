import type { TotpStatus } from '@certdesk/shared/types';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { twoFactorKeys } from './query-keys.js';

export function getTwoFactorStatus(signal?: AbortSignal): Promise<TotpStatus> {
  return api.get<TotpStatus>('/auth/totp', undefined, signal);
}

export const twoFactorStatusQueryOptions = () =>
  queryOptions({ queryKey: twoFactorKeys.status, queryFn: ({ signal }) => getTwoFactorStatus(signal) });

export function useTwoFactorStatus() {
  return useQuery(twoFactorStatusQueryOptions());
}

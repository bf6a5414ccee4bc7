import type { AuditList, AuditQuery } from '@certdesk/shared/types';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.js';
import { auditKeys } from './query-keys.js';

export function getAudit(query: AuditQuery, signal?: AbortSignal): Promise<AuditList> {
  return api.get<AuditList>('/audit', { ...query }, signal);
}

export const auditQueryOptions = (query: AuditQuery) =>
  queryOptions({
    queryKey: auditKeys.list(query),
    queryFn: ({ signal }) => getAudit(query, signal),
    // Keep the current page on screen while the next one loads: no table flicker when paging.
    placeholderData: keepPreviousData,
    staleTime: 0,
  });

export function useAudit(query: AuditQuery) {
  return useQuery(auditQueryOptions(query));
}

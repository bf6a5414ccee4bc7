import type { AuditQuery } from '@certdesk/shared/types';
import { resourceKeys } from '../../../lib/query-keys.js';

export const auditKeys = {
  all: resourceKeys.audit,
  list: (query: AuditQuery) => [...resourceKeys.audit, 'list', query] as const,
};

import type { AuditExportQuery } from '@certdesk/shared/types';
import { buildUrl } from '../../../lib/api-client.js';

/**
 * GET /api/audit.csv with the list's filters: a plain link the browser downloads with the session cookie
 * (the server streams it, so a long log is not held in this page's memory).
 */
export function auditCsvUrl(query: AuditExportQuery): string {
  return buildUrl('/audit.csv', { ...query });
}

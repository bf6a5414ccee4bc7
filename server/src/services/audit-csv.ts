import type { AuditLogRow } from '../store/audit-log.js';

const COLUMNS = ['id', 'at', 'actor', 'action', 'target', 'ip', 'details'] as const;

/**
 * One CSV cell (RFC 4180). A cell that a spreadsheet would run as a formula (starting with = + - @, or a
 * tab or carriage return that some strip before looking) gets a leading apostrophe: the audit log holds
 * text that users chose (user names, certificate names, token names), and opening the export in Excel
 * or LibreOffice must not execute it (OWASP "CSV injection").
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function auditCsvHeader(): string {
  return `${COLUMNS.join(',')}\r\n`;
}

export function auditCsvLine(row: AuditLogRow): string {
  return `${COLUMNS.map((c) => csvCell(row[c])).join(',')}\r\n`;
}

import type { ImportResponse } from '@certdesk/shared';

/** An import that only gave a stored certificate its key is recorded as what it did. */
export function importAuditAction(result: ImportResponse): string {
  return result.alreadyStored?.addsKey ? 'certificate.attach-key' : 'certificate.import';
}

/**
 * What an import puts in the audit log — shared by POST /api/certificates and `certdesk import` so both
 * record the same facts. Never a password or key material.
 */
export function importAuditDetails(
  result: ImportResponse,
  chainMode: 'auto' | 'manual',
): Record<string, unknown> {
  return {
    name: result.certificate.name,
    subject: result.certificate.subject,
    fingerprintSha256: result.certificate.fingerprintSha256,
    chainMode,
    intermediates: result.chain.filter((c) => c.role === 'intermediate').length,
    keySource: result.report.key.source,
    csrId: result.report.key.csrId,
    warnings: result.report.checks.filter((c) => c.status !== 'pass').map((c) => c.id),
  };
}

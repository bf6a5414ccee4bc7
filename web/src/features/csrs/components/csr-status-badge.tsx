import type { CsrStatus } from '@certdesk/shared/types';
import { Badge } from '@mantine/core';

/** Pending: waiting for the CA's certificate. Completed: a certificate with this key was imported. */
export function CsrStatusBadge({ status }: { status: CsrStatus }) {
  return (
    <Badge color={status === 'completed' ? 'teal' : 'yellow'} variant="light" data-testid="csr-status">
      {status === 'completed' ? 'Completed' : 'Pending'}
    </Badge>
  );
}

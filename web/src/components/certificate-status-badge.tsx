import type { CertificateStatus } from '@certdesk/shared/types';
import { Badge } from '@mantine/core';

const LOOK: Record<CertificateStatus, { color: string; label: string; hint: string }> = {
  active: {
    color: 'blue',
    label: 'Active',
    hint: 'Served by this server (the HTTPS certificate or an SNI binding).',
  },
  available: { color: 'teal', label: 'Available', hint: 'Has its key and is valid: ready to be used.' },
  pending_key: {
    color: 'grape',
    label: 'Pending key',
    hint: 'No private key is stored yet: import the key to use it.',
  },
  expired: { color: 'red', label: 'Expired', hint: 'Past its end date; clients reject it.' },
  superseded: {
    color: 'gray',
    label: 'Superseded',
    hint: 'Replaced by a newer version; kept for one-click rollback.',
  },
};

export function certificateStatusLabel(status: CertificateStatus): string {
  return LOOK[status].label;
}

export function CertificateStatusBadge({ status }: { status: CertificateStatus }) {
  const look = LOOK[status];
  return (
    <Badge
      color={look.color}
      variant="outline"
      radius="sm"
      tt="none"
      title={look.hint}
      data-status={status}
      style={{ minWidth: 'max-content' }}
    >
      {look.label}
    </Badge>
  );
}

import type { CertificateSummary } from '@certdesk/shared/types';
import { Button } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconRefresh } from '@tabler/icons-react';
import { useNavigate } from 'react-router-dom';
import { useCan } from '../../../lib/permissions.js';
import { useRenewUrl } from '../api/renew-certificate.js';

/** Opens the CSR wizard prefilled from the certificate, the way its own page does. */
export function RenewButton({ certificate }: { certificate: CertificateSummary }) {
  const renew = useRenewUrl();
  const navigate = useNavigate();
  // Read-only roles (auditor) cannot start a renewal.
  const canWrite = useCan('inventory:write');
  const name = certificate.commonName ?? certificate.subject;
  if (!canWrite) return null;
  return (
    <Button
      size="xs"
      variant="light"
      leftSection={<IconRefresh size={14} />}
      loading={renew.isPending}
      aria-label={`Renew ${name}`}
      onClick={() =>
        renew.mutate(certificate.id, {
          onSuccess: (url) => navigate(url),
          onError: (error) =>
            notifications.show({ color: 'red', title: 'Cannot renew', message: error.message }),
        })
      }
      data-testid="renew"
    >
      Renew
    </Button>
  );
}

import type { CertificateDetail } from '@certdesk/shared/types';
import { Alert, Badge, Button, Group, Paper, Text } from '@mantine/core';
import { ErrorAlert } from '../../../components/error-alert.js';
import { formatDateTime } from '../../../lib/format.js';
import { useRenewNow } from '../api/renew-now.js';

/** An ACME-managed certificate: when certdesk looks at it next, how renewals went, and "Renew now". */
export function AcmeRenewal({ cert }: { cert: CertificateDetail }) {
  const renew = useRenewNow();
  const acme = cert.acme;
  if (cert.source !== 'acme' || !acme) return null;
  if (cert.supersededBy) {
    // Only the newest version renews; this one is history.
    return (
      <Paper withBorder radius="md" p="md" data-testid="acme-renewal">
        <Group gap="xs">
          <Badge color="gray" variant="light">
            ACME
          </Badge>
          <Text size="sm">
            Ordered over ACME. Version #{cert.supersededBy.id} replaced it and is the one that renews.
          </Text>
        </Group>
      </Paper>
    );
  }
  return (
    <Paper withBorder radius="md" p="md" data-testid="acme-renewal">
      <Group justify="space-between" align="flex-start">
        <div>
          <Group gap="xs" mb={4}>
            <Badge color="teal" variant="light">
              ACME
            </Badge>
            <Text fw={600}>Renews by itself</Text>
          </Group>
          <Text size="sm">
            Next check {formatDateTime(acme.nextCheckAt)}
            {acme.ariWindow
              ? ` · the CA's renewal window: ${formatDateTime(acme.ariWindow.start)} to ${formatDateTime(acme.ariWindow.end)}`
              : ''}
          </Text>
          {acme.attempts > 0 ? (
            <Text size="sm" c="red">
              {acme.attempts} failed attempt{acme.attempts === 1 ? '' : 's'}
              {acme.lastError ? `: ${acme.lastError}` : ''}
            </Text>
          ) : null}
        </div>
        <Button variant="light" loading={renew.isPending} onClick={() => renew.mutate(cert.id)}>
          Renew now
        </Button>
      </Group>
      {renew.isSuccess ? (
        <Alert color="blue" mt="sm">
          Renewal ordered (order #{renew.data.id}): the new version replaces this one when the CA issues it.
        </Alert>
      ) : null}
      <ErrorAlert error={renew.error} title="The renewal was not started" />
    </Paper>
  );
}

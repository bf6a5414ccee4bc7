import type { DeliveryStatus } from '@certdesk/shared/types';
import { Badge, Paper, Table, Text, Title } from '@mantine/core';
import { ErrorAlert } from '../../../components/error-alert.js';
import { formatDateTime } from '../../../lib/format.js';
import { useDeliveries } from '../api/get-deliveries.js';

const COLOR: Record<DeliveryStatus, string> = {
  pending: 'gray',
  retrying: 'orange',
  sent: 'teal',
  failed: 'red',
};

/** Recent deliveries: what was sent where, and what failed with the receiver's answer. */
export function DeliveriesTable() {
  const query = useDeliveries();
  return (
    <Paper withBorder radius="md" p="md" data-testid="deliveries">
      <Title order={2} size="h4" mb="xs">
        Recent deliveries
      </Title>
      {query.error ? <ErrorAlert error={query.error} title="Deliveries could not be loaded" /> : null}
      {query.data && query.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing sent yet.
        </Text>
      ) : null}
      {query.data && query.data.items.length > 0 ? (
        <Table.ScrollContainer minWidth={720}>
          <Table verticalSpacing="xs" fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Message</Table.Th>
                <Table.Th>Channel</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Details</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {query.data.items.map((d) => (
                <Table.Tr key={d.id} data-status={d.status}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(d.createdAt)}</Table.Td>
                  <Table.Td>{d.subject}</Table.Td>
                  <Table.Td>{d.channel}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Badge
                      color={COLOR[d.status]}
                      variant="light"
                      styles={{ label: { overflow: 'visible' } }}
                    >
                      {d.status}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {d.lastError ? (
                      <Text size="sm" c={d.status === 'failed' ? 'red.8' : undefined}>
                        {d.lastError}
                      </Text>
                    ) : null}
                    <Text size="xs" c="dimmed">
                      {d.attempts} attempt{d.attempts === 1 ? '' : 's'}
                      {d.nextAttemptAt ? ` · next ${formatDateTime(d.nextAttemptAt)}` : ''}
                      {d.sentAt ? ` · sent ${formatDateTime(d.sentAt)}` : ''}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
    </Paper>
  );
}

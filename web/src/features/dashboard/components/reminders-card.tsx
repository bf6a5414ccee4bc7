import { Anchor, Badge, Group, Paper, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { IconBell } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../../../components/error-alert.js';
import { formatDate } from '../../../lib/format.js';
import { useReminders } from '../api/get-reminders.js';
import { RenewButton } from './renew-button.js';

/** Certificates renewed by hand that crossed a reminder threshold: the to-do list, each with "Renew". */
export function RemindersCard() {
  const query = useReminders();
  return (
    <Paper withBorder radius="md" p="md" data-testid="reminders">
      <Group justify="space-between" mb="xs">
        <Group gap="xs">
          <IconBell size={18} />
          <Title order={2} size="h4">
            Reminders due
          </Title>
          {query.data ? <Badge variant="light">{query.data.items.length}</Badge> : null}
        </Group>
        <Anchor component={Link} to="/notifications" size="sm">
          Reminder thresholds and notifications
        </Anchor>
      </Group>
      {query.error ? <ErrorAlert error={query.error} title="Reminders could not be loaded" /> : null}
      {query.data && query.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No certificate renewed by hand has reached a reminder threshold.
        </Text>
      ) : null}
      {query.data && query.data.items.length > 0 ? (
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="xs" fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Certificate</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th>Threshold reached</Table.Th>
                <Table.Th>Notified</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {query.data.items.map((r) => (
                <Table.Tr key={r.certificate.id} data-certificate-id={r.certificate.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/certificates/${r.certificate.id}`} size="sm">
                      {r.certificate.commonName ?? r.certificate.subject}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    {formatDate(r.certificate.notAfter)}{' '}
                    <Text span size="xs" c={r.certificate.expired ? 'red.8' : 'dimmed'}>
                      {r.certificate.expired ? '(expired)' : `(${r.certificate.daysLeft} days left)`}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{r.thresholdLabel}</Text>
                    <Text size="xs" c="dimmed">
                      since {formatDate(r.crossedAt)}
                    </Text>
                  </Table.Td>
                  <Table.Td>{r.notified ? 'Yes' : 'Within a minute'}</Table.Td>
                  <Table.Td>
                    <RenewButton certificate={r.certificate} />
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

import type { AuditEntry } from '@certdesk/shared/types';
import { Table, Text, Tooltip } from '@mantine/core';
import { formatDate, formatRelative, formatTime } from '../../../lib/format.js';
import { ActionBadge } from './action-badge.js';
import { AuditDetails } from './audit-details.js';

function Dim({ value }: { value: string | null }) {
  return value ? (
    <Text size="sm" style={{ overflowWrap: 'break-word' }}>
      {value}
    </Text>
  ) : (
    <Text size="sm" c="dimmed">
      —
    </Text>
  );
}

export function AuditTable({ items }: { items: AuditEntry[] }) {
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table data-testid="audit-table" verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={120}>When</Table.Th>
            <Table.Th>Actor</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>Target</Table.Th>
            <Table.Th>IP address</Table.Th>
            <Table.Th>Details</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((entry) => (
            <Table.Tr key={entry.id}>
              <Table.Td>
                <Tooltip label={formatRelative(entry.at)} position="right">
                  <div>
                    <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                      {formatDate(entry.at)}
                    </Text>
                    <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                      {formatTime(entry.at)}
                    </Text>
                  </div>
                </Tooltip>
              </Table.Td>
              <Table.Td>
                <Dim value={entry.actor} />
                {entry.token ? (
                  <Text size="xs" c="dimmed" data-testid="audit-token">
                    via token “{entry.token.name}” (#{entry.token.id})
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>
                <ActionBadge action={entry.action} />
              </Table.Td>
              <Table.Td>
                <Dim value={entry.target} />
              </Table.Td>
              <Table.Td>
                <Dim value={entry.ip} />
              </Table.Td>
              <Table.Td>
                <AuditDetails details={entry.details} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

import type { ApiToken } from '@certdesk/shared/types';
import { ActionIcon, Code, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { formatDateTime, formatRelative } from '../../../lib/format.js';

export function TokensTable({
  tokens,
  onDelete,
}: {
  tokens: ApiToken[];
  onDelete: (token: ApiToken) => void;
}) {
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table data-testid="tokens-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Starts with</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Last used</Table.Th>
            <Table.Th w={60}>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tokens.map((token) => (
            <Table.Tr key={token.id}>
              <Table.Td fw={500}>{token.name}</Table.Td>
              <Table.Td>
                <Code>{token.prefix}…</Code>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatDateTime(token.createdAt)}</Text>
              </Table.Td>
              <Table.Td>
                {token.lastUsedAt ? (
                  <Tooltip label={formatDateTime(token.lastUsedAt)}>
                    <Text size="sm">{formatRelative(token.lastUsedAt)}</Text>
                  </Tooltip>
                ) : (
                  <Text size="sm" c="dimmed">
                    Never
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Tooltip label="Delete token">
                  <ActionIcon
                    variant="subtle"
                    color="red"
                    onClick={() => onDelete(token)}
                    aria-label={`Delete token ${token.name}`}
                  >
                    <IconTrash size={16} />
                  </ActionIcon>
                </Tooltip>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

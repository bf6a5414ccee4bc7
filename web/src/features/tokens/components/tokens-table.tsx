import type { ApiToken } from '@certdesk/shared/types';
import { ActionIcon, Code, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { ExpiryBadge } from '../../../components/expiry-badge.js';
import { formatDateTime, formatRelative } from '../../../lib/format.js';

const DAY_MS = 24 * 60 * 60 * 1000;

function TokenExpiry({ expiresAt }: { expiresAt: string }) {
  const msLeft = Date.parse(expiresAt) - Date.now();
  return (
    <ExpiryBadge
      daysLeft={Math.floor(msLeft / DAY_MS)}
      expired={msLeft <= 0}
      notAfter={expiresAt}
      thresholds={[7, 14, 30]}
    />
  );
}

export function TokensTable({
  tokens,
  onDelete,
}: {
  tokens: ApiToken[];
  onDelete: (token: ApiToken) => void;
}) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table data-testid="tokens-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Starts with</Table.Th>
            <Table.Th>Owner · role</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th>Last used</Table.Th>
            <Table.Th>Expires</Table.Th>
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
                <Text size="sm">
                  {token.username}
                  <Text span size="xs" c="dimmed">
                    {' · '}
                    {token.role ?? "the account's role"}
                  </Text>
                </Text>
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
                <TokenExpiry expiresAt={token.expiresAt} />
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

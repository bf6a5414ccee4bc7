import type { CsrSummary } from '@certdesk/shared/types';
import { Anchor, Badge, Button, Group, Paper, Table, Text } from '@mantine/core';
import { IconFileCertificate, IconPlus } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { EmptyState } from '../../../components/empty-state.js';
import { ErrorAlert } from '../../../components/error-alert.js';
import { PageHeader } from '../../../components/page-header.js';
import { PageLoader } from '../../../components/page-loader.js';
import { formatDateTime, formatRelative } from '../../../lib/format.js';
import { useCan } from '../../../lib/permissions.js';
import { useCsrs } from '../api/get-csrs.js';
import { CsrStatusBadge } from './csr-status-badge.js';

const keyText = (c: Pick<CsrSummary, 'keyType' | 'keySize' | 'curve'>) =>
  c.keyType === 'rsa' ? `RSA ${c.keySize ?? ''}` : `ECDSA ${c.curve ?? ''}`;

/** /csrs — every CSR ever made (none is overwritten), newest first. */
export function CsrListPage() {
  const csrs = useCsrs();
  const canWrite = useCan('inventory:write');
  return (
    <>
      <PageHeader
        title="Certificate signing requests"
        description="Every CSR made here, with its key waiting on the server until the CA's certificate is imported."
        actions={
          canWrite ? (
            <Group gap="sm">
              <Button component={Link} to="/csrs/new" leftSection={<IconPlus size={16} />}>
                Generate CSR
              </Button>
              <Button component={Link} to="/acme/order" variant="light">
                Order with ACME
              </Button>
            </Group>
          ) : null
        }
      />
      <Paper withBorder radius="md" p="md">
        {csrs.isPending ? (
          <PageLoader label="Loading CSRs…" />
        ) : csrs.isError ? (
          <ErrorAlert error={csrs.error} title="Could not load the CSRs" />
        ) : csrs.data.items.length === 0 ? (
          <EmptyState
            icon={<IconFileCertificate size={26} />}
            title="No CSRs yet"
            description="Generate one to request a certificate from your CA."
            action={
              canWrite ? (
                <Button component={Link} to="/csrs/new" variant="light">
                  Generate CSR
                </Button>
              ) : undefined
            }
          />
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table highlightOnHover verticalSpacing="sm" data-testid="csr-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>#</Table.Th>
                  <Table.Th>Common name</Table.Th>
                  <Table.Th>Alternative names</Table.Th>
                  <Table.Th>Key</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Created</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {csrs.data.items.map((c) => (
                  <Table.Tr key={c.id}>
                    <Table.Td>{c.id}</Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/csrs/${c.id}`} fw={500}>
                        {c.commonName || `${c.subjectAltNames[0] ?? ''} (no CN)`}
                      </Anchor>
                      {c.renewsCertificateId ? (
                        <Text size="xs" c="dimmed">
                          renews certificate #{c.renewsCertificateId}
                        </Text>
                      ) : null}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {c.subjectAltNames.slice(0, 3).map((s) => (
                          <Badge key={s} variant="light" color="gray" tt="none">
                            {s}
                          </Badge>
                        ))}
                        {c.subjectAltNames.length > 3 ? (
                          <Text size="xs" c="dimmed">
                            +{c.subjectAltNames.length - 3} more
                          </Text>
                        ) : null}
                      </Group>
                    </Table.Td>
                    <Table.Td>{keyText(c)}</Table.Td>
                    <Table.Td>
                      <CsrStatusBadge status={c.status} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatDateTime(c.createdAt)}</Text>
                      <Text size="xs" c="dimmed">
                        {formatRelative(c.createdAt)}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Paper>
    </>
  );
}

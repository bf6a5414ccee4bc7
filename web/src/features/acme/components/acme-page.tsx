import { Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../../../components/error-alert.js';
import { PageHeader } from '../../../components/page-header.js';
import { PageLoader } from '../../../components/page-loader.js';
import { formatDateTime } from '../../../lib/format.js';
import { useDeleteAcmeAccount } from '../api/delete-account.js';
import { useAcmeAccounts } from '../api/get-accounts.js';
import { AcmeAccountForm } from './acme-account-form.js';
import { RenewalSettingsCard } from './renewal-settings-card.js';

/** /acme — ACME accounts and automatic renewal. */
export function AcmePage() {
  const accounts = useAcmeAccounts();
  const remove = useDeleteAcmeAccount();
  return (
    <>
      <PageHeader
        title="ACME"
        description="Accounts at ACME certificate authorities; certificates ordered here renew by themselves."
        actions={
          <Button component={Link} to="/acme/order" leftSection={<IconPlus size={16} />}>
            Order with ACME
          </Button>
        }
      />
      <Stack gap="lg">
        <Paper withBorder radius="md" p="md">
          <Title order={2} size="h4" mb="sm">
            Accounts
          </Title>
          {accounts.isPending ? (
            <PageLoader label="Loading accounts…" />
          ) : accounts.isError ? (
            <ErrorAlert error={accounts.error} title="Could not load the accounts" />
          ) : accounts.data.items.length === 0 ? (
            <Text c="dimmed">No account yet. Create one below.</Text>
          ) : (
            <Table data-testid="acme-accounts">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Directory</Table.Th>
                  <Table.Th>Contact</Table.Th>
                  <Table.Th>EAB key ID</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Created</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {accounts.data.items.map((a) => (
                  <Table.Tr key={a.id}>
                    <Table.Td>{a.directoryUrl}</Table.Td>
                    <Table.Td>{a.email || '—'}</Table.Td>
                    <Table.Td>{a.eabKid ?? '—'}</Table.Td>
                    <Table.Td>{a.status}</Table.Td>
                    <Table.Td>{formatDateTime(a.createdAt)}</Table.Td>
                    <Table.Td>
                      <Button size="xs" variant="subtle" color="red" onClick={() => remove.mutate(a.id)}>
                        Delete
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
          <ErrorAlert error={remove.error} title="The account was not deleted" />
        </Paper>
        <Paper withBorder radius="md" p="md">
          <Title order={2} size="h4" mb="sm">
            New account
          </Title>
          <AcmeAccountForm />
        </Paper>
        <RenewalSettingsCard />
        <Group />
      </Stack>
    </>
  );
}

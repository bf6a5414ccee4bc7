import type { UserAccount } from '@certdesk/shared/types';
import { Button, Paper } from '@mantine/core';
import { IconUserPlus, IconUsers } from '@tabler/icons-react';
import { useState } from 'react';
import { EmptyState } from '../../../components/empty-state.js';
import { ErrorAlert } from '../../../components/error-alert.js';
import { PageHeader } from '../../../components/page-header.js';
import { PageLoader } from '../../../components/page-loader.js';
import { useUsers } from '../api/get-users.js';
import { AddUserDialog } from './add-user-dialog.js';
import { DeleteUserModal } from './delete-user-modal.js';
import { OneTimePasswordModal } from './one-time-password-modal.js';
import { UsersTable } from './users-table.js';

/** Accounts and their roles (administrators only: the navigation shows it to them alone). */
export function UsersPage() {
  const users = useUsers();
  const [adding, setAdding] = useState(false);
  const [toDelete, setToDelete] = useState<UserAccount | null>(null);
  const [oneTime, setOneTime] = useState<{ username: string; password: string } | null>(null);

  return (
    <>
      <PageHeader
        title="Users"
        description="Who may use the console. Administrators do everything; operators all but users, other people's tokens and private-key export; auditors only read."
        actions={
          <Button leftSection={<IconUserPlus size={16} />} onClick={() => setAdding(true)}>
            Add user
          </Button>
        }
      />
      <Paper withBorder radius="md" p="md">
        {users.isPending ? (
          <PageLoader label="Loading users…" />
        ) : users.isError ? (
          <ErrorAlert error={users.error} title="Could not load the users" />
        ) : users.data.items.length === 0 ? (
          <EmptyState icon={<IconUsers size={26} />} title="No users" description="Add the first one." />
        ) : (
          <UsersTable users={users.data.items} onDelete={setToDelete} onPasswordReset={setOneTime} />
        )}
      </Paper>
      <AddUserDialog opened={adding} onClose={() => setAdding(false)} />
      <DeleteUserModal user={toDelete} onClose={() => setToDelete(null)} />
      <OneTimePasswordModal reset={oneTime} onClose={() => setOneTime(null)} />
    </>
  );
}

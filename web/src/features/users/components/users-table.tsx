import { ROLES, type Role } from '@certdesk/shared/rules';
import type { UserAccount } from '@certdesk/shared/types';
import { ActionIcon, Badge, Group, Menu, Select, Table, Text, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDots, IconKey, IconLock, IconLockOpen, IconTrash } from '@tabler/icons-react';
import { ErrorAlert } from '../../../components/error-alert.js';
import { formatDateTime } from '../../../lib/format.js';
import { useSignedInUserId } from '../../../lib/permissions.js';
import { useResetPassword } from '../api/reset-password.js';
import { useUpdateUser } from '../api/update-user.js';

const ROLE_LABELS: Record<Role, string> = {
  admin: 'Administrator',
  operator: 'Operator',
  auditor: 'Auditor',
};
const ROLE_OPTIONS = ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r] }));

export function UsersTable({
  users,
  onDelete,
  onPasswordReset,
}: {
  users: UserAccount[];
  onDelete: (user: UserAccount) => void;
  onPasswordReset: (reset: { username: string; password: string }) => void;
}) {
  const me = useSignedInUserId();
  const update = useUpdateUser();
  const reset = useResetPassword();

  const setRole = (user: UserAccount, role: Role) =>
    update.mutate(
      { id: user.id, role },
      {
        onSuccess: () =>
          notifications.show({
            color: 'teal',
            message: `${user.username} is now ${ROLE_LABELS[role].toLowerCase()}.`,
          }),
      },
    );
  const setDisabled = (user: UserAccount, disabled: boolean) =>
    update.mutate(
      { id: user.id, disabled },
      {
        onSuccess: () =>
          notifications.show({
            color: 'teal',
            message: disabled
              ? `${user.username} is disabled: signed out, API tokens refused.`
              : `${user.username} can sign in again.`,
          }),
      },
    );
  const resetPassword = (user: UserAccount) =>
    reset.mutate(user.id, {
      onSuccess: ({ password }) => onPasswordReset({ username: user.username, password }),
    });

  return (
    <>
      {update.isError ? <ErrorAlert error={update.error} title="The user was not changed" /> : null}
      {reset.isError ? <ErrorAlert error={reset.error} title="The password was not reset" /> : null}
      <Table.ScrollContainer minWidth={720}>
        <Table data-testid="users-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>User name</Table.Th>
              <Table.Th w={200}>Role</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th w={60}>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {users.map((user) => {
              const own = user.id === me;
              return (
                <Table.Tr key={user.id} data-testid={`user-row-${user.username}`}>
                  <Table.Td fw={500}>
                    {user.username}
                    {own ? (
                      <Text span size="xs" c="dimmed" ml={6}>
                        (you)
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Select
                      size="xs"
                      aria-label={`Role of ${user.username}`}
                      data={ROLE_OPTIONS}
                      value={user.role}
                      allowDeselect={false}
                      disabled={own || update.isPending}
                      onChange={(value) => value && value !== user.role && setRole(user, value as Role)}
                    />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6}>
                      {user.disabled ? (
                        <Badge color="gray" variant="light">
                          Disabled
                        </Badge>
                      ) : (
                        <Badge color="teal" variant="light">
                          Enabled
                        </Badge>
                      )}
                      {user.mustChangePassword ? (
                        <Badge color="orange" variant="light">
                          Must change password
                        </Badge>
                      ) : null}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatDateTime(user.createdAt)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Menu position="bottom-end" withinPortal>
                      <Menu.Target>
                        <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${user.username}`}>
                          <IconDots size={16} />
                        </ActionIcon>
                      </Menu.Target>
                      <Menu.Dropdown>
                        <Menu.Item leftSection={<IconKey size={14} />} onClick={() => resetPassword(user)}>
                          Reset password
                        </Menu.Item>
                        {user.disabled ? (
                          <Menu.Item
                            leftSection={<IconLockOpen size={14} />}
                            onClick={() => setDisabled(user, false)}
                          >
                            Enable
                          </Menu.Item>
                        ) : (
                          <Menu.Item
                            leftSection={<IconLock size={14} />}
                            disabled={own}
                            onClick={() => setDisabled(user, true)}
                          >
                            Disable
                          </Menu.Item>
                        )}
                        <Menu.Item
                          color="red"
                          leftSection={<IconTrash size={14} />}
                          disabled={own}
                          onClick={() => onDelete(user)}
                        >
                          Delete
                        </Menu.Item>
                      </Menu.Dropdown>
                    </Menu>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </>
  );
}

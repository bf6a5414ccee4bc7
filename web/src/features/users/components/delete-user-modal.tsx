import type { UserAccount } from '@certdesk/shared/types';
import { Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { ConfirmModal } from '../../../components/confirm-modal.js';
import { useDeleteUser } from '../api/delete-user.js';

export function DeleteUserModal({ user, onClose }: { user: UserAccount | null; onClose: () => void }) {
  const remove = useDeleteUser();
  const close = () => {
    remove.reset();
    onClose();
  };
  return (
    <ConfirmModal
      opened={!!user}
      title={`Delete ${user?.username ?? ''}?`}
      confirmLabel="Delete user"
      loading={remove.isPending}
      error={remove.error}
      onClose={close}
      onConfirm={() =>
        user &&
        remove.mutate(user.id, {
          onSuccess: () => {
            notifications.show({ color: 'gray', message: `${user.username} was deleted.` });
            close();
          },
        })
      }
    >
      <Text size="sm">
        The account is signed out and its API tokens are deleted. The audit log keeps its entries. To keep the
        account for later, disable it instead.
      </Text>
    </ConfirmModal>
  );
}

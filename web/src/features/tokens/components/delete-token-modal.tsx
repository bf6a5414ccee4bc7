import type { ApiToken } from '@certdesk/shared/types';
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { ErrorAlert } from '../../../components/error-alert.js';
import { useDeleteToken } from '../api/delete-token.js';

export function DeleteTokenModal({ token, onClose }: { token: ApiToken | null; onClose: () => void }) {
  const remove = useDeleteToken();
  const close = () => {
    remove.reset();
    onClose();
  };
  const confirm = () => {
    if (!token) return;
    remove.mutate(token.id, {
      onSuccess: () => {
        notifications.show({ color: 'teal', message: `Token “${token.name}” deleted.` });
        close();
      },
    });
  };
  return (
    <Modal opened={!!token} onClose={close} title={<Text fw={600}>Delete API token?</Text>}>
      <Stack gap="md">
        <Text size="sm">
          Scripts that use <b>{token?.name}</b> (starts with <code>{token?.prefix}</code>) will get “401 Not
          signed in” from now on. This cannot be undone.
        </Text>
        {remove.isError ? <ErrorAlert error={remove.error} title="The token was not deleted" /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button color="red" onClick={confirm} loading={remove.isPending}>
            Delete token
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

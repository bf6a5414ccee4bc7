import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { PemBlock } from '../../../components/pem-block.js';

/** The only moment the one-time password is visible: the server keeps only its hash. */
export function OneTimePasswordModal({
  reset,
  onClose,
}: {
  reset: { username: string; password: string } | null;
  onClose: () => void;
}) {
  return (
    <Modal
      closeButtonProps={{ 'aria-label': 'Close' }}
      opened={!!reset}
      onClose={onClose}
      title={<Text fw={600}>One-time password for {reset?.username}</Text>}
      closeOnClickOutside={false}
    >
      {reset ? (
        <Stack gap="md">
          <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title="Shown once">
            Give it to {reset.username} in person or over a trusted channel. At the next sign-in they must
            choose their own password; their sessions have ended.
          </Alert>
          <PemBlock
            value={reset.password}
            label="One-time password"
            maxHeight={80}
            testId="one-time-password"
          />
          <Group justify="flex-end">
            <Button onClick={onClose}>I have copied it</Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}

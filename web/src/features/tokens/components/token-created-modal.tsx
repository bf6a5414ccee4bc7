import type { TokenCreated } from '@certdesk/shared/types';
import { Alert, Button, Code, Group, Modal, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { PemBlock } from '../../../components/pem-block.js';

/** The only moment the token is visible: the server keeps just its hash. */
export function TokenCreatedModal({ token, onClose }: { token: TokenCreated | null; onClose: () => void }) {
  return (
    <Modal
      opened={!!token}
      onClose={onClose}
      title={<Text fw={600}>Token “{token?.name}” created</Text>}
      size="lg"
      closeOnClickOutside={false}
    >
      {token ? (
        <Stack gap="md">
          <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title="Copy it now">
            This is the only time the token is shown. certdesk stores only a hash of it; if you lose it,
            delete it and create a new one.
          </Alert>
          <PemBlock value={token.token} label="API token" maxHeight={120} testId="new-token" />
          <Text size="sm" c="dimmed">
            Use it as <Code>Authorization: Bearer &lt;token&gt;</Code>. It acts with your account's rights.
          </Text>
          <Group justify="flex-end">
            <Button onClick={onClose}>I have copied it</Button>
          </Group>
        </Stack>
      ) : null}
    </Modal>
  );
}

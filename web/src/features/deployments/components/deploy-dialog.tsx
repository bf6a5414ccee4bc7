import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { DeployOutcomeView } from '../../../components/deploy-outcome.js';
import { ErrorAlert } from '../../../components/error-alert.js';
import type { useDeployTarget } from '../api/deploy-target.js';
import type { DeployTarget } from '../api/types.js';

interface DeployDialogProps {
  target: DeployTarget | null;
  deploy: ReturnType<typeof useDeployTarget>;
  onClose: () => void;
}

/** Runs in front of the list: progress, then the served fingerprint or why it was rolled back. */
export function DeployDialog({ target, deploy, onClose }: DeployDialogProps) {
  return (
    <Modal
      opened={target !== null}
      onClose={() => !deploy.isPending && onClose()}
      closeOnClickOutside={!deploy.isPending}
      closeOnEscape={!deploy.isPending}
      withCloseButton={!deploy.isPending}
      title={<Text fw={600}>Deploy {target?.name}</Text>}
      size="lg"
      closeButtonProps={{ 'aria-label': 'Close dialog' }}
    >
      <Stack gap="md" data-testid="deploy-dialog">
        <DeployOutcomeView pending={deploy.isPending} outcome={deploy.data} />
        {deploy.isError ? <ErrorAlert error={deploy.error} title="The deployment did not start" /> : null}
        <Group justify="flex-end">
          {target && !deploy.isPending ? (
            <Button variant="default" onClick={() => deploy.mutate(target.id)}>
              Deploy again
            </Button>
          ) : null}
          <Button onClick={onClose} disabled={deploy.isPending}>
            Close
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

import { Modal, Stack, Text } from '@mantine/core';
import { DeployOutcomeView, HookOutput } from '../../../components/deploy-outcome.js';
import { formatDateTime } from '../../../lib/format.js';
import type { DeployOutcome, DeployTarget, LastDeployment } from '../api/types.js';

const TRIGGERS: Record<string, string> = {
  manual: 'deployed from the console',
  promote: 'the certificate was replaced',
  restore: 'a previous version was restored',
  renew: 'the certificate was renewed',
  cli: 'certdesk deploy (command line)',
};

export function outcomeOf(d: LastDeployment): DeployOutcome {
  if (d.status === 'deployed')
    return {
      ok: true,
      result: {
        status: 'deployed',
        fingerprintSha256: d.fingerprintSha256,
        probe: d.probe,
        message: d.message,
        steps: d.steps,
      },
    };
  return {
    ok: false,
    failure: {
      code: 'DEPLOY_FAILED',
      status: d.status,
      message: d.message ?? 'The deployment failed.',
      step: d.step,
      hookOutputTail: d.hookOutputTail,
      probe: d.probe,
      steps: d.steps,
      fingerprintSha256: d.fingerprintSha256,
    },
  };
}

/** The last deployment of a target as it was reported: why it was rolled back, hours later. */
export function LastDeploymentModal({
  target,
  onClose,
}: {
  target: DeployTarget | null;
  onClose: () => void;
}) {
  const last = target?.lastDeployment ?? null;
  return (
    <Modal
      opened={last !== null}
      onClose={onClose}
      size="lg"
      closeButtonProps={{ 'aria-label': 'Close dialog' }}
      title={<Text fw={600}>Last deployment of {target?.name}</Text>}
    >
      {last ? (
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {formatDateTime(last.at)}
            {last.trigger ? ` · ${TRIGGERS[last.trigger] ?? last.trigger}` : ''}
          </Text>
          <DeployOutcomeView pending={false} outcome={outcomeOf(last)} />
          {last.status === 'deployed' ? <HookOutput output={last.hookOutputTail} /> : null}
        </Stack>
      ) : null}
    </Modal>
  );
}

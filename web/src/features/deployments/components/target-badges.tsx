import { Anchor, Badge, Group, Stack, Text, Tooltip } from '@mantine/core';
import { formatDateTime, formatRelative } from '../../../lib/format.js';
import type { DeployTarget } from '../api/types.js';

const STATUS = {
  deployed: { color: 'green', label: 'Deployed' },
  failed: { color: 'red', label: 'Failed' },
  'rolled-back': { color: 'red', label: 'Rolled back' },
} as const;

/** The last deployment: what happened and when, in words as well as colour. */
export function LastDeploymentCell({
  target,
  onDetails,
}: {
  target: DeployTarget;
  onDetails: (t: DeployTarget) => void;
}) {
  const last = target.lastDeployment;
  if (!last)
    return (
      <Badge miw="max-content" color="gray" variant="light" data-testid="deploy-status">
        Never deployed
      </Badge>
    );
  const s = STATUS[last.status] ?? { color: 'gray', label: last.status };
  return (
    <Stack gap={2} align="flex-start">
      <Tooltip label={last.message ?? s.label} disabled={!last.message} multiline w={320}>
        <Badge
          miw="max-content"
          color={s.color}
          variant="light"
          data-testid="deploy-status"
          data-status={last.status}
        >
          {s.label}
        </Badge>
      </Tooltip>
      <Group gap={6} wrap="nowrap">
        <Text size="xs" c="dimmed" title={formatDateTime(last.at)}>
          {formatRelative(last.at)}
        </Text>
        <Anchor
          component="button"
          type="button"
          size="xs"
          onClick={() => onDetails(target)}
          aria-label={`Details of the last deployment of ${target.name}`}
        >
          Details
        </Anchor>
      </Group>
    </Stack>
  );
}

/** Drift: does the service still serve what was deployed? Unknown without a verify address. */
export function DriftBadge({ target }: { target: DeployTarget }) {
  if (!target.verify)
    return (
      <Tooltip label="No verify address: certdesk cannot see what the service serves.">
        <Badge miw="max-content" color="gray" variant="outline" data-testid="drift">
          Not checked
        </Badge>
      </Tooltip>
    );
  const when = target.lastCheck ? `Checked ${formatRelative(target.lastCheck.at)}` : 'Not checked yet';
  return (
    <Stack gap={2} align="flex-start">
      {target.drift ? (
        <Tooltip
          label={
            target.driftMessage ??
            'The service serves another certificate than the one deployed (or none, or an expired one).'
          }
          multiline
          w={320}
        >
          <Badge miw="max-content" color="orange" variant="filled" data-testid="drift" data-drift="true">
            Drifting
          </Badge>
        </Tooltip>
      ) : (
        <Badge miw="max-content" color="teal" variant="light" data-testid="drift" data-drift="false">
          In step
        </Badge>
      )}
      {when ? (
        <Text size="xs" c="dimmed">
          {when}
        </Text>
      ) : null}
    </Stack>
  );
}

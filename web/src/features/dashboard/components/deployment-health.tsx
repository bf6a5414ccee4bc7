import type { Dashboard } from '@certdesk/shared/types';
import { Alert, Anchor, Group, Paper, Text } from '@mantine/core';
import { IconAlertTriangle, IconRocket } from '@tabler/icons-react';
import { Link } from 'react-router-dom';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Failed deployments and drifting services, loud; all well, one quiet line; no targets, nothing. */
export function DeploymentHealthTile({ counts }: { counts: Dashboard['targets'] }) {
  if (counts.total === 0) return null;
  const { failed, drifting, total } = counts;
  if (failed === 0 && drifting === 0)
    return (
      <Paper withBorder radius="md" p="sm" data-testid="deployment-health">
        <Group gap="xs">
          <IconRocket size={18} />
          <Text size="sm">
            {plural(total, 'deployment target', 'deployment targets')}: all deployed and serving their
            certificate.{' '}
            <Anchor component={Link} to="/deployments" size="sm">
              Deployments
            </Anchor>
          </Text>
        </Group>
      </Paper>
    );
  const parts = [
    failed ? plural(failed, 'deployment failed', 'deployments failed') : null,
    drifting ? plural(drifting, 'target drifting', 'targets drifting') : null,
  ].filter(Boolean);
  return (
    <Alert
      color={failed ? 'red' : 'orange'}
      variant="light"
      icon={<IconAlertTriangle size={18} />}
      title={parts.join(' · ')}
      data-testid="deployment-health"
    >
      <Text size="sm">
        {failed
          ? `The previous files were put back, so ${failed === 1 ? 'that service still serves' : 'those services still serve'} the old certificate. `
          : ''}
        {drifting ? 'A drifting service serves another certificate than the one deployed. ' : ''}
        <Anchor component={Link} to="/deployments" size="sm" fw={600}>
          Open Deployments
        </Anchor>
      </Text>
    </Alert>
  );
}

import {
  ActionIcon,
  Anchor,
  Button,
  Group,
  Stack,
  Table,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { IconPencil, IconRefresh, IconRocket, IconTrash } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import type { DeployTarget } from '../api/types.js';
import { DriftBadge, LastDeploymentCell } from './target-badges.js';

interface TargetsTableProps {
  targets: DeployTarget[];
  certificateNames: Map<number, string>;
  onDeploy: (t: DeployTarget) => void;
  onCheck: (t: DeployTarget) => void;
  onDelete: (t: DeployTarget) => void;
  onDetails: (t: DeployTarget) => void;
  checkingId: number | null;
}

/** Where the files go, in one line: "This server" or "SSH deploy@web01:2222". */
function where(target: DeployTarget): string {
  if (target.kind === 'ssh' && target.ssh) {
    const port = target.ssh.port !== 22 ? `:${target.ssh.port}` : '';
    return `SSH ${target.ssh.username}@${target.ssh.host}${port}`;
  }
  return 'This server (local files)';
}

/** One row per target: where, what, how it went last, whether it still serves it, and the actions. */
export function TargetsTable({
  targets,
  certificateNames,
  onDeploy,
  onCheck,
  onDelete,
  onDetails,
  checkingId,
}: TargetsTableProps) {
  return (
    <Table.ScrollContainer minWidth={620}>
      <Table verticalSpacing="sm" data-testid="targets-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Target</Table.Th>
            <Table.Th>Certificate</Table.Th>
            <Table.Th>Last deployment</Table.Th>
            <Table.Th>Drift</Table.Th>
            <Table.Th>
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {targets.map((t) => (
            <Table.Tr key={t.id} data-target-id={t.id}>
              <Table.Td>
                <Text size="sm" fw={600}>
                  {t.name}
                </Text>
                <Text size="xs" style={{ wordBreak: 'break-all' }}>
                  {where(t)}
                </Text>
                <Text size="xs" c="dimmed">
                  {t.files.length} {t.files.length === 1 ? 'file' : 'files'}
                  {t.hook ? ` · hook ${t.hook}` : ''}
                </Text>
              </Table.Td>
              <Table.Td>
                <Anchor
                  component={Link}
                  to={`/certificates/${t.certificateId}`}
                  size="sm"
                  style={{ overflowWrap: 'anywhere' }}
                >
                  {certificateNames.get(t.certificateId) ??
                    t.certificateCommonName ??
                    `Certificate #${t.certificateId}`}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <LastDeploymentCell target={t} onDetails={onDetails} />
              </Table.Td>
              <Table.Td>
                <DriftBadge target={t} />
              </Table.Td>
              <Table.Td>
                <Group gap={6} justify="flex-end" wrap="nowrap">
                  <Stack gap={4}>
                    <Button
                      fullWidth
                      size="xs"
                      px={8}
                      leftSection={<IconRocket size={14} />}
                      onClick={() => onDeploy(t)}
                      aria-label={`Deploy ${t.name} now`}
                    >
                      Deploy now
                    </Button>
                    <Button
                      fullWidth
                      size="xs"
                      variant="default"
                      px={8}
                      leftSection={<IconRefresh size={14} />}
                      onClick={() => onCheck(t)}
                      loading={checkingId === t.id}
                      disabled={!t.verify}
                      title={t.verify ? undefined : 'Add a verify address to check what the service serves'}
                      aria-label={`Check ${t.name} now`}
                    >
                      Check now
                    </Button>
                  </Stack>
                  <Stack gap={4}>
                    <Tooltip label="Edit">
                      <ActionIcon
                        component={Link}
                        to={`/deployments/${t.id}/edit`}
                        variant="subtle"
                        color="gray"
                        aria-label={`Edit ${t.name}`}
                      >
                        <IconPencil size={16} />
                      </ActionIcon>
                    </Tooltip>
                    <Tooltip label="Delete">
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={`Delete ${t.name}`}
                        onClick={() => onDelete(t)}
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Tooltip>
                  </Stack>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

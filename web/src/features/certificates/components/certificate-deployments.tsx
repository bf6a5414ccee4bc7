import {
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { IconPlus, IconRocket } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { DeployOutcomeView } from '../../../components/deploy-outcome.js';
import { ErrorAlert } from '../../../components/error-alert.js';
import { formatDateTime, formatRelative } from '../../../lib/format.js';
import { useDeployToTarget } from '../api/deploy-to-target.js';
import { type CertificateTarget, useCertificateTargets } from '../api/get-certificate-targets.js';

const STATUS = {
  deployed: { color: 'green', label: 'Deployed' },
  failed: { color: 'red', label: 'Failed' },
  'rolled-back': { color: 'red', label: 'Rolled back' },
} as const;

function Last({ t }: { t: CertificateTarget }) {
  const last = t.lastDeployment;
  if (!last)
    return (
      <Badge color="gray" variant="light">
        Never deployed
      </Badge>
    );
  const s = STATUS[last.status] ?? { color: 'gray', label: last.status };
  return (
    <Group gap={6} wrap="nowrap">
      <Badge color={s.color} variant="light" data-testid="deploy-status">
        {s.label}
      </Badge>
      <Text size="xs" c="dimmed" title={formatDateTime(last.at)}>
        {formatRelative(last.at)}
      </Text>
      {t.drift ? (
        <Badge color="orange" variant="filled">
          Drifting
        </Badge>
      ) : null}
    </Group>
  );
}

/** Where this certificate is delivered, how the last delivery went, and a button to deliver it now. */
export function CertificateDeployments({ certificateId }: { certificateId: number }) {
  const targets = useCertificateTargets(certificateId);
  const deploy = useDeployToTarget();
  const [deployingId, setDeployingId] = useState<number | null>(null);

  const run = (id: number) => {
    deploy.reset();
    setDeployingId(id);
    deploy.mutate(id);
  };

  return (
    <Paper withBorder radius="md" p="md" data-testid="certificate-deployments">
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Title order={2} size="h4">
          Deployments
        </Title>
        <Group gap="xs">
          <Button
            component={Link}
            to={`/deployments/new?certificate=${certificateId}`}
            variant="default"
            size="xs"
            leftSection={<IconPlus size={14} />}
          >
            New target
          </Button>
          <Anchor component={Link} to="/deployments" size="sm">
            All deployments
          </Anchor>
        </Group>
      </Group>
      {targets.isPending ? (
        <Text size="sm" c="dimmed">
          Loading targets…
        </Text>
      ) : targets.isError ? (
        <ErrorAlert error={targets.error} title="Could not load the targets" />
      ) : targets.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          Not deployed anywhere. A target delivers this certificate to a service’s files (here or over SSH),
          reloads it and checks it is served.
        </Text>
      ) : (
        <Stack gap="sm">
          <Table.ScrollContainer minWidth={560}>
            <Table verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Target</Table.Th>
                  <Table.Th>Where</Table.Th>
                  <Table.Th>Last deployment</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Deploy</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {targets.data.items.map((t) => (
                  <Table.Tr key={t.id} data-target-id={t.id}>
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {t.name}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        {t.kind === 'ssh' && t.ssh ? `SSH ${t.ssh.username}@${t.ssh.host}` : 'This server'}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Last t={t} />
                    </Table.Td>
                    <Table.Td>
                      <Button
                        size="xs"
                        leftSection={<IconRocket size={14} />}
                        loading={deploy.isPending && deployingId === t.id}
                        disabled={deploy.isPending && deployingId !== t.id}
                        onClick={() => run(t.id)}
                        aria-label={`Deploy to ${t.name}`}
                      >
                        Deploy
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {deployingId !== null ? (
            <div aria-live="polite">
              <Text size="sm" fw={600} mb={4}>
                {targets.data.items.find((t) => t.id === deployingId)?.name}
              </Text>
              <DeployOutcomeView pending={deploy.isPending} outcome={deploy.data} />
              {deploy.isError ? (
                <ErrorAlert error={deploy.error} title="The deployment did not start" />
              ) : null}
            </div>
          ) : null}
        </Stack>
      )}
    </Paper>
  );
}

import { Button, Code, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconServer2 } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { ConfirmModal } from '../../../components/confirm-modal.js';
import { EmptyState } from '../../../components/empty-state.js';
import { ErrorAlert } from '../../../components/error-alert.js';
import { PageHeader } from '../../../components/page-header.js';
import { PageLoader } from '../../../components/page-loader.js';
import { useCheckTarget } from '../api/check-target.js';
import { useDeleteTarget } from '../api/delete-target.js';
import { useDeployTarget } from '../api/deploy-target.js';
import { useCertificateOptions } from '../api/get-certificate-options.js';
import { useDeployConfig } from '../api/get-deploy-config.js';
import { useTargets } from '../api/get-targets.js';
import type { DeployTarget } from '../api/types.js';
import { certificateName } from './certificate-options.js';
import { DeployDialog } from './deploy-dialog.js';
import { LastDeploymentModal } from './last-deployment-modal.js';
import { DeployDisabledNotice, ServerPolicy } from './server-policy.js';
import { TargetsTable } from './targets-table.js';

/** Every place a certificate is delivered to, how the last delivery went, and whether it is still served. */
export function DeploymentsPage() {
  const targets = useTargets();
  const config = useDeployConfig();
  const certificates = useCertificateOptions();
  const deploy = useDeployTarget();
  const check = useCheckTarget();
  const remove = useDeleteTarget();
  const [deploying, setDeploying] = useState<DeployTarget | null>(null);
  const [toDelete, setToDelete] = useState<DeployTarget | null>(null);
  const [details, setDetails] = useState<DeployTarget | null>(null);

  const names = useMemo(
    () => new Map((certificates.data?.items ?? []).map((c) => [c.id, certificateName(c)])),
    [certificates.data],
  );
  const disabled = config.data ? !config.data.localEnabled : false;

  const startDeploy = (t: DeployTarget) => {
    deploy.reset();
    setDeploying(t);
    deploy.mutate(t.id);
  };
  const runCheck = (t: DeployTarget) =>
    check.mutate(t.id, {
      onSuccess: (fresh) =>
        notifications.show({
          color: fresh.drift ? 'orange' : 'teal',
          title: fresh.drift ? `${fresh.name} is drifting` : `${fresh.name} is in step`,
          message: fresh.drift
            ? 'The service serves another certificate than the one deployed. Deploy again, or look at what changed on the server.'
            : 'The service serves the deployed certificate.',
        }),
      onError: (error) =>
        notifications.show({ color: 'red', title: 'The check failed', message: error.message }),
    });

  const newButton = (
    <Button component={Link} to="/deployments/new" leftSection={<IconPlus size={16} />}>
      New target
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Deployments"
        description="Where certificates are delivered — files on this server or on others over SSH — then reloaded and checked with a real TLS handshake. A replaced, renewed or restored certificate is delivered to its targets by itself."
        actions={newButton}
      />
      <Stack gap="md">
        {disabled ? <DeployDisabledNotice sshAvailable={config.data?.sshAvailable !== false} /> : null}
        <Paper withBorder radius="md" p="md">
          {targets.isPending ? (
            <PageLoader label="Loading targets…" />
          ) : targets.isError ? (
            <ErrorAlert error={targets.error} title="Could not load the targets" />
          ) : targets.data.items.length === 0 ? (
            <EmptyState
              icon={<IconServer2 size={26} />}
              title="No deployment targets yet"
              description={
                <>
                  A target is a place a certificate is delivered to: its files (e.g.{' '}
                  <Code>fullchain.pem</Code> and <Code>privkey.pem</Code>) on this server or on another one
                  over SSH, a reload hook such as <Code>nginx -s reload</Code>, and the address where certdesk
                  checks the service now serves it.
                  {disabled && config.data?.sshAvailable !== false
                    ? ' Until deploy roots are set, only SSH targets can be created.'
                    : ''}
                </>
              }
              action={newButton}
            />
          ) : (
            <TargetsTable
              targets={targets.data.items}
              certificateNames={names}
              onDeploy={startDeploy}
              onCheck={runCheck}
              onDelete={(t) => {
                remove.reset();
                setToDelete(t);
              }}
              onDetails={setDetails}
              checkingId={check.isPending ? (check.variables ?? null) : null}
            />
          )}
        </Paper>
        {config.data ? (
          <Paper withBorder radius="md" p="md">
            <Title order={2} size="h4" mb="xs">
              Allowed by this server
            </Title>
            <ServerPolicy config={config.data} />
          </Paper>
        ) : null}
      </Stack>
      <LastDeploymentModal target={details} onClose={() => setDetails(null)} />
      <DeployDialog target={deploying} deploy={deploy} onClose={() => setDeploying(null)} />
      <ConfirmModal
        opened={toDelete !== null}
        title={`Delete target ${toDelete?.name ?? ''}?`}
        confirmLabel="Delete target"
        onClose={() => setToDelete(null)}
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => toDelete && remove.mutate(toDelete.id, { onSuccess: () => setToDelete(null) })}
      >
        <Text size="sm">
          certdesk stops delivering this certificate there and stops checking it. The files already on the
          server stay as they are; the service keeps serving them.
        </Text>
      </ConfirmModal>
    </>
  );
}

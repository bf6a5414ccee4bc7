import { Anchor, Group } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { ErrorAlert } from '../../../components/error-alert.js';
import { PageHeader } from '../../../components/page-header.js';
import { PageLoader } from '../../../components/page-loader.js';
import { useDeployConfig } from '../api/get-deploy-config.js';
import { useDeployHooks } from '../api/get-deploy-hooks.js';
import { useTarget } from '../api/get-target.js';
import { TargetForm } from './target-form.js';

/** /deployments/new and /deployments/:id/edit. */
export function TargetFormPage() {
  const params = useParams();
  const [search] = useSearchParams();
  const id = params.id ? Number(params.id) : null;
  const editing = id !== null;
  const target = useTarget(id ?? 0, editing && Number.isInteger(id) && (id ?? 0) > 0);
  const config = useDeployConfig();
  const hooks = useDeployHooks();
  const title = editing ? (target.data ? `Edit target: ${target.data.name}` : 'Edit target') : 'New target';

  const back = (
    <Anchor component={Link} to="/deployments" size="sm">
      <Group gap={4}>
        <IconArrowLeft size={14} /> Deployments
      </Group>
    </Anchor>
  );
  const description =
    'Where a certificate is delivered: files on this server or over SSH, a reload hook, and the service that should then serve it.';

  const error = (editing ? target.error : null) ?? config.error ?? hooks.error;
  if (error)
    return (
      <>
        {back}
        <PageHeader title={title} />
        <ErrorAlert error={error} title="Could not load the form" />
      </>
    );
  if ((editing && !target.data) || !config.data || !hooks.data)
    return (
      <>
        {back}
        <PageHeader title={title} />
        <PageLoader label="Loading…" />
      </>
    );
  return (
    <>
      {back}
      <PageHeader title={title} description={description} />
      <TargetForm
        key={target.data?.id ?? 'new'}
        target={target.data}
        config={config.data}
        hooks={hooks.data}
        initialCertificateId={search.get('certificate')}
      />
    </>
  );
}

import {
  Alert,
  Button,
  Code,
  Group,
  Paper,
  Radio,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, type ReactNode, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { ErrorAlert } from '../../../components/error-alert.js';
import { useCan } from '../../../lib/permissions.js';
import { useCreateTarget } from '../api/create-target.js';
import { useCertificateOptions } from '../api/get-certificate-options.js';
import type { DeployConfig, DeployHooks, DeployTarget } from '../api/types.js';
import { useUpdateTarget } from '../api/update-target.js';
import { certificateOptions } from './certificate-options.js';
import { FileRows } from './file-rows.js';
import { ServerPolicy } from './server-policy.js';
import { SshFields } from './ssh-fields.js';
import {
  bodyOf,
  emptyValues,
  fieldOfError,
  localErrors,
  type TargetFormValues,
  valuesOf,
} from './target-form-values.js';
import { VerifyFields } from './verify-fields.js';

interface TargetFormProps {
  target?: DeployTarget;
  config: DeployConfig;
  hooks: DeployHooks;
  /** Preselected certificate for a new target (from `?certificate=` when coming from a certificate page). */
  initialCertificateId?: string | null;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Paper withBorder radius="md" p="md">
      <Title order={2} size="h4" mb="sm">
        {title}
      </Title>
      {children}
    </Paper>
  );
}

/** New or edit: where the certificate goes, how it gets there, what reloads it and how it is checked. */
export function TargetForm({ target, config, hooks, initialCertificateId = null }: TargetFormProps) {
  const editing = !!target;
  const canExportKeys = useCan('keys:export');
  const [values, setValues] = useState<TargetFormValues>(() =>
    target
      ? valuesOf(target)
      : {
          ...emptyValues(initialCertificateId, canExportKeys),
          kind: config.localEnabled ? 'local' : 'ssh',
        },
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [generalError, setGeneralError] = useState<unknown>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const certificates = useCertificateOptions();
  const create = useCreateTarget();
  const update = useUpdateTarget();
  const navigate = useNavigate();
  const localDisabled = !config.localEnabled;

  const set = <K extends keyof TargetFormValues>(key: K, value: TargetFormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));

  // Focus the first field that is wrong, so the keyboard user lands where the sentence is.
  const focusFirstError = () =>
    requestAnimationFrame(() =>
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(),
    );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setGeneralError(null);
    const found = localErrors(values, editing);
    setErrors(found);
    if (Object.keys(found).length) return focusFirstError();
    const onError = (error: Error) => {
      const field = fieldOfError(error, values);
      if (field) {
        setErrors({ [field]: error.message });
        focusFirstError();
      } else {
        setGeneralError(error);
      }
    };
    const onSuccess = () => navigate('/deployments');
    const body = bodyOf(values);
    if (target) update.mutate({ id: target.id, body }, { onSuccess, onError });
    else create.mutate(body, { onSuccess, onError });
  };

  const hook = config.hooks.find((h) => h.name === values.hook);
  const hookOptions = [
    { value: '', label: 'None — only write the files' },
    ...hooks.items.map((h) => ({ value: h.name, label: h.name })),
  ];
  const pending = create.isPending || update.isPending;

  return (
    <form ref={formRef} onSubmit={submit} aria-label={editing ? 'Edit target' : 'New target'} noValidate>
      <Stack gap="md">
        <Section title="Target">
          <Stack gap="sm">
            <TextInput
              label="Target name"
              placeholder="nginx on web01"
              value={values.name}
              onChange={(e) => set('name', e.currentTarget.value)}
              error={errors.name}
              maxLength={100}
              data-autofocus
            />
            <Select
              label="Certificate"
              description="Certificates with a private key. When this certificate is replaced, renewed or restored, the new version is deployed here by itself."
              placeholder={certificates.isPending ? 'Loading certificates…' : 'Choose a certificate'}
              data={certificateOptions(certificates.data?.items, target?.certificateId)}
              value={values.certificateId}
              onChange={(v) => set('certificateId', v)}
              error={errors.certificateId ?? (certificates.isError ? certificates.error.message : undefined)}
              searchable
              data-testid="certificate-select"
              nothingFoundMessage="No certificate with a private key matches"
            />
            <Radio.Group
              label="Where the files go"
              value={values.kind}
              onChange={(v) => set('kind', v as TargetFormValues['kind'])}
              error={errors.kind}
            >
              <Stack gap={6} mt={4}>
                <Radio
                  value="local"
                  label="This server (local files)"
                  description={
                    localDisabled
                      ? 'Disabled: the server has no CERTDESK_DEPLOY_ROOTS (see below).'
                      : `Under ${config.roots.join(', ')}`
                  }
                  disabled={localDisabled && values.kind !== 'local'}
                />
                <Radio value="ssh" label="Another server over SSH (SFTP)" />
              </Stack>
            </Radio.Group>
          </Stack>
        </Section>
        {values.kind === 'ssh' ? (
          <Section title="SSH connection">
            {config.sshAvailable === false ? (
              <Alert color="yellow" variant="light" mb="sm" data-testid="ssh-unavailable">
                Deployment over SSH is not available on this server yet: such a target can be saved, but
                deploying it will be refused.
              </Alert>
            ) : null}
            <SshFields values={values} set={set} errors={errors} editing={editing} />
          </Section>
        ) : null}
        <Section title="Files">
          <FileRows
            rows={values.files}
            onChange={(rows) => set('files', rows)}
            errors={errors}
            pfxPassword={values.pfxPassword}
            onPfxPassword={(p) => set('pfxPassword', p)}
            editing={editing}
            local={values.kind === 'local'}
            roots={config.roots}
          />
        </Section>
        <Section title="Reload and check">
          <Stack gap="md">
            <div>
              <Select
                label="Reload hook"
                description="Run after the files are in place, and again after a rollback. Hooks are declared on the server."
                data={hookOptions}
                value={values.hook ?? ''}
                onChange={(v) => set('hook', v || null)}
                error={errors.hook}
                allowDeselect={false}
                maw={420}
                data-testid="hook-select"
              />
              {hook ? (
                <Text size="sm" mt={6} data-testid="hook-command">
                  Runs <Code>{hook.command.join(' ')}</Code>
                  {values.kind === 'ssh' ? ' on the SSH server' : ' on this server'}, without a shell
                  {hook.timeoutSeconds ? `, stopped after ${hook.timeoutSeconds} s` : ''}.
                </Text>
              ) : null}
            </div>
            <VerifyFields values={values} set={set} errors={errors} />
          </Stack>
        </Section>
        <Section title="Allowed by this server">
          <ServerPolicy config={config} />
        </Section>
        {generalError ? (
          <ErrorAlert
            error={generalError}
            title={editing ? 'The target was not saved' : 'The target was not created'}
            onClose={() => setGeneralError(null)}
          />
        ) : null}
        <Group justify="flex-end">
          {Object.keys(errors).length ? (
            <Text size="sm" c="red" mr="auto">
              Not saved: correct the fields marked in red.
            </Text>
          ) : null}
          <Button variant="default" onClick={() => navigate('/deployments')}>
            Cancel
          </Button>
          <Button type="submit" loading={pending}>
            {editing ? 'Save target' : 'Create target'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

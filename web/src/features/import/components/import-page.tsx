import type { ImportReport, ImportResponse } from '@certdesk/shared/types';
import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  PasswordInput,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { IconCircleCheck, IconCircleX } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router-dom';
import { PageHeader } from '../../../components/page-header.js';
import { isApiError } from '../../../lib/api-client.js';
import { type ImportFields, useImportCertificate } from '../api/import-certificate.js';
import { FileDrop } from './file-drop.js';
import { ImportError, isPasswordError } from './import-error.js';
import { ImportPolicyCard } from './import-policy.js';
import { ImportReportView } from './import-report.js';

/** The report of a refused import travels in the 422 body. */
function reportOf(error: unknown): ImportReport | null {
  if (isApiError(error) && error.body.report && typeof error.body.report === 'object')
    return error.body.report as ImportReport;
  return null;
}

export function ImportPage() {
  const [files, setFiles] = useState<File[]>([]);
  const [intermediates, setIntermediates] = useState<File[]>([]);
  const [pem, setPem] = useState('');
  const [password, setPassword] = useState('');
  const [chainMode, setChainMode] = useState<'auto' | 'manual'>('auto');
  const [name, setName] = useState('');
  const [checked, setChecked] = useState<ImportResponse | null>(null);
  const [imported, setImported] = useState<ImportResponse | null>(null);
  const check = useImportCertificate();
  const commit = useImportCertificate();

  const fields = (dryRun: boolean): ImportFields => ({
    files,
    pem,
    password,
    chainMode,
    intermediates,
    name,
    dryRun,
  });
  const changed = () => {
    setChecked(null);
    setImported(null);
    check.reset();
    commit.reset();
  };
  const runCheck = () => {
    setChecked(null);
    commit.reset();
    check.mutate(fields(true), { onSuccess: setChecked });
  };
  const runImport = () => commit.mutate(fields(false), { onSuccess: setImported });
  const refused = reportOf(check.error) ?? reportOf(commit.error);
  const report = checked?.report ?? refused;
  const nothing = files.length === 0 && pem.trim() === '';
  const stored = checked?.alreadyStored;
  const storedComplete = stored !== undefined && !stored.addsKey;

  return (
    <Stack gap="lg">
      <PageHeader
        title="Import certificate"
        description="Drop what your CA sent: certificate (PEM or DER), bundle, .p7b/.p7c, .pfx/.p12, and the private key if certdesk did not make the CSR. The format is read from the content, not the file name."
      />
      <Card
        withBorder
        component="form"
        noValidate
        // Enter in the password or name field runs the check (the safe step); Import stays a click.
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          if (!nothing && !check.isPending) runCheck();
        }}
      >
        <Stack gap="md">
          <FileDrop
            files={files}
            onChange={(f) => {
              setFiles(f);
              changed();
            }}
            title="Drop files here or click to choose"
            hint="Any mix: .crt .cer .pem .der .p7b .p7c .pfx .p12 .key — up to 20 files of 1 MiB"
            testId="import-dropzone"
          />
          <Textarea
            label="Or paste PEM text"
            description="Certificates and keys as -----BEGIN …----- text"
            autosize
            minRows={3}
            maxRows={10}
            value={pem}
            onChange={(e) => {
              setPem(e.currentTarget.value);
              changed();
            }}
            styles={{ input: { fontFamily: 'monospace', fontSize: 12 } }}
            data-testid="import-pem"
          />
          <PasswordInput
            label="Password"
            description="For a .pfx/.p12 file or an encrypted private key. Leave empty otherwise."
            value={password}
            onChange={(e) => {
              setPassword(e.currentTarget.value);
              changed();
            }}
            autoComplete="off"
            error={isPasswordError(check.error ?? commit.error)}
            data-testid="import-password"
          />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              Chain
            </Text>
            <SegmentedControl
              value={chainMode}
              onChange={(v) => {
                setChainMode(v as 'auto' | 'manual');
                changed();
              }}
              data={[
                { value: 'auto', label: 'Automatic' },
                { value: 'manual', label: 'Manual' },
              ]}
              style={{ alignSelf: 'flex-start' }}
              data-testid="import-chain-mode"
            />
            <Text size="xs" c="dimmed">
              {chainMode === 'auto'
                ? 'Builds the whole chain to a trusted root from your files, the intermediates certdesk already knows and the certificate’s AIA “CA Issuers” URL.'
                : 'Uses only the intermediates you upload below, in any order; certdesk puts them in order.'}
            </Text>
          </Stack>
          {chainMode === 'manual' ? (
            <FileDrop
              files={intermediates}
              onChange={(f) => {
                setIntermediates(f);
                changed();
              }}
              title="Intermediate certificates"
              hint="One or more, any order (roots and duplicates are dropped)"
              testId="import-intermediates"
            />
          ) : null}
          <TextInput
            label="Name"
            description="Optional label; defaults to the PFX friendly name or the common name"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            data-testid="import-name"
          />
          <Group>
            <Button type="submit" loading={check.isPending} disabled={nothing} data-testid="import-check">
              Check
            </Button>
            <Button
              onClick={runImport}
              loading={commit.isPending}
              disabled={!checked || checked.report.blocked || storedComplete || imported !== null}
              color="teal"
              data-testid="import-confirm"
            >
              Import
            </Button>
          </Group>
        </Stack>
      </Card>

      {imported ? (
        <Alert
          color="teal"
          icon={<IconCircleCheck size={18} />}
          title={imported.alreadyStored ? 'Private key added' : 'Imported'}
          data-testid="import-done"
        >
          <Text size="sm">
            {imported.alreadyStored
              ? `The private key was added to ${imported.certificate.name ?? imported.certificate.subject}.`
              : `${imported.certificate.name ?? imported.certificate.subject} is stored${
                  imported.certificate.hasKey ? ' with its private key' : ', waiting for its private key'
                }.`}{' '}
            <Anchor component={Link} to={`/certificates/${imported.id}`} data-testid="import-link">
              Open the certificate
            </Anchor>
          </Text>
        </Alert>
      ) : null}
      {stored && storedComplete ? (
        <Alert
          color="blue"
          icon={<IconCircleCheck size={18} />}
          title="Already in the inventory"
          data-testid="import-already-stored"
        >
          <Text size="sm">
            This certificate is already stored as #{stored.id}
            {stored.name ? ` (${stored.name})` : ''}: there is nothing to import. The report below is what it
            would get today.{' '}
            <Anchor component={Link} to={`/certificates/${stored.id}`} data-testid="import-stored-link">
              Open the stored certificate
            </Anchor>
          </Text>
        </Alert>
      ) : null}
      {checked && !imported && !storedComplete && !commit.error ? (
        <Alert
          color={checked.report.checks.some((c) => c.status === 'warn') ? 'orange' : 'teal'}
          icon={<IconCircleCheck size={18} />}
          title="Ready to import"
          data-testid="import-ready"
        >
          <Text size="sm">
            {checked.certificate.commonName ?? checked.certificate.subject}: nothing blocks the import
            {checked.report.checks.some((c) => c.status === 'warn') ? ', but read the warnings below' : ''}.{' '}
            {stored ? (
              <>
                It is already stored as{' '}
                <Anchor component={Link} to={`/certificates/${stored.id}`} data-testid="import-stored-link">
                  #{stored.id}
                  {stored.name ? ` ${stored.name}` : ''}
                </Anchor>{' '}
                without its private key: press Import to add the key to it.
              </>
            ) : (
              'Press Import to store it.'
            )}
          </Text>
        </Alert>
      ) : null}
      {refused ? (
        <Alert
          color="red"
          icon={<IconCircleX size={18} />}
          title="This import would be refused"
          data-testid="import-refused"
        >
          <Text size="sm">
            {(check.error ?? commit.error) instanceof Error ? (check.error ?? commit.error)?.message : ''}
          </Text>
        </Alert>
      ) : null}
      {!refused && (check.error || commit.error) ? <ImportError error={check.error ?? commit.error} /> : null}
      {report ? <ImportReportView report={report} /> : <ImportPolicyCard />}
    </Stack>
  );
}

import { TEST_CA_ORGANIZATION, TEST_CERTIFICATE_MAX_DAYS } from '@certdesk/shared/rules';
import type { TestCertificate, TestCertificateBody } from '@certdesk/shared/types';
import {
  Alert,
  Button,
  Checkbox,
  Code,
  Group,
  NumberInput,
  PasswordInput,
  SegmentedControl,
  Stack,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { IconAlertTriangle, IconDownload, IconFlask } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { ErrorAlert } from '../../../components/error-alert.js';
import { PemBlock } from '../../../components/pem-block.js';
import { isApiError, saveBlob } from '../../../lib/api-client.js';
import { useCreateTestCertificate } from '../api/create-test-certificate.js';
import { LabImportPanel } from './lab-import-panel.js';

function LabWarning() {
  return (
    <Alert
      color="orange"
      variant="filled"
      icon={<IconAlertTriangle size={20} />}
      title="For labs only — NOT FOR PRODUCTION"
      data-testid="lab-warning"
    >
      This makes a throw-away root CA ("{TEST_CA_ORGANIZATION}") and one server certificate it signs, so you
      can try HTTPS in a lab. No browser trusts that root: clients show a warning unless you install it, and
      you must never install it on machines outside the lab. For a real server, generate a CSR and send it to
      your CA.
    </Alert>
  );
}

function download(name: string, data: BlobPart, type: string) {
  saveBlob(new Blob([data], { type }), name);
}

function base64Bytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(new ArrayBuffer(bin.length));
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function Result({
  r,
  pfxPassword,
  commonName,
}: {
  r: TestCertificate;
  pfxPassword: string;
  commonName: string;
}) {
  const base = commonName.replace(/^\*\./, 'wildcard.').replace(/[^A-Za-z0-9._-]+/g, '_');
  return (
    <Stack gap="md" data-testid="lab-result">
      <Alert color="orange" variant="light" icon={<IconFlask size={18} />} title="Test certificate created">
        <Text size="sm">{r.warning}</Text>
        <Text size="sm" mt={4}>
          Names: {r.subjectAltNames.join(', ')} · valid until {r.notAfter.slice(0, 10)}
        </Text>
        {r.pfxPassword ? (
          <Text size="sm" mt={4}>
            PFX password (made for you, shown once):{' '}
            <Code data-testid="lab-pfx-password">{r.pfxPassword}</Code>
          </Text>
        ) : null}
      </Alert>
      <Group gap="xs">
        <Button
          variant="default"
          leftSection={<IconDownload size={16} />}
          onClick={() => download('certdesk-test-root.pem', r.rootPem, 'application/x-pem-file')}
        >
          Test root (.pem)
        </Button>
        <Button
          variant="default"
          leftSection={<IconDownload size={16} />}
          onClick={() => download(`${base}.crt`, r.certificatePem, 'application/x-pem-file')}
        >
          Certificate (.crt)
        </Button>
        <Button
          variant="default"
          leftSection={<IconDownload size={16} />}
          onClick={() => download(`${base}.pfx`, base64Bytes(r.pfxBase64), 'application/x-pkcs12')}
        >
          PFX with key (.pfx)
        </Button>
        {r.privateKeyPem ? (
          <Button
            variant="default"
            leftSection={<IconDownload size={16} />}
            onClick={() => download(`${base}.key`, r.privateKeyPem as string, 'application/x-pem-file')}
          >
            Private key (.key)
          </Button>
        ) : null}
      </Group>
      <LabImportPanel result={r} pfxPassword={pfxPassword} commonName={commonName} />
      <PemBlock
        value={r.certificatePem}
        label={`Server certificate — SHA-256 ${r.fingerprintSha256}`}
        maxHeight={200}
      />
      <PemBlock
        value={r.rootPem}
        label={`Test root CA — SHA-256 ${r.rootFingerprintSha256}`}
        maxHeight={200}
      />
      {r.privateKeyPem ? (
        <PemBlock value={r.privateKeyPem} label="Private key (PKCS#8, unencrypted)" maxHeight={200} />
      ) : null}
    </Stack>
  );
}

/** A lab PKI: test root + server certificate + PFX, clearly marked not for production. */
export function TestCertificateTool() {
  const [commonName, setCommonName] = useState('');
  const [sans, setSans] = useState<string[]>([]);
  const [keyType, setKeyType] = useState<'rsa' | 'ec'>('ec');
  const [days, setDays] = useState<number | string>(30);
  const [pfxPassword, setPfxPassword] = useState('');
  const [includeKey, setIncludeKey] = useState(false);
  // What the last successful request used: the import needs the PFX password and the name.
  const [used, setUsed] = useState<{ pfxPassword: string; commonName: string } | null>(null);
  const create = useCreateTestCertificate();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: TestCertificateBody = {
      commonName: commonName.trim(),
      subjectAltNames: sans,
      keyType,
      days: Number(days),
      ...(pfxPassword ? { pfxPassword } : {}),
      ...(includeKey ? { includePrivateKey: true } : {}),
    };
    create.mutate(body, {
      onSuccess: (r) =>
        setUsed({ pfxPassword: pfxPassword || (r.pfxPassword ?? ''), commonName: body.commonName }),
    });
  };
  // `subjectAltNames.2` names one entry; the whole tags input shows it.
  const fieldError = (name: string) =>
    create.error && isApiError(create.error) && create.error.field?.split('.')[0] === name
      ? create.error.message
      : undefined;

  return (
    <Stack gap="md">
      <LabWarning />
      <form onSubmit={submit}>
        <Stack gap="sm" maw={640}>
          <TextInput
            label="Common name"
            description="The lab host name, e.g. lab-web01.example.test (localhost is allowed)."
            required
            value={commonName}
            onChange={(e) => {
              setCommonName(e.currentTarget.value);
              // The server's sentence was about the old value.
              if (create.isError) create.reset();
            }}
            error={fieldError('commonName')}
            data-testid="lab-cn"
          />
          <TagsInput
            label="Other names (SANs)"
            description="Host names or IP addresses; press Enter after each. The common name is added for you."
            value={sans}
            onChange={(v) => {
              setSans(v);
              if (create.isError) create.reset();
            }}
            error={fieldError('subjectAltNames')}
            data-testid="lab-sans"
          />
          <Group align="flex-end">
            <div>
              <Text size="sm" fw={500} mb={4}>
                Key
              </Text>
              <SegmentedControl
                value={keyType}
                onChange={(v) => setKeyType(v === 'rsa' ? 'rsa' : 'ec')}
                data={[
                  { value: 'ec', label: 'ECDSA P-256' },
                  { value: 'rsa', label: 'RSA 2048' },
                ]}
              />
            </div>
            <NumberInput
              label="Valid for (days)"
              min={1}
              max={TEST_CERTIFICATE_MAX_DAYS}
              clampBehavior="strict"
              value={days}
              onChange={setDays}
              w={160}
            />
          </Group>
          <PasswordInput
            label="PFX password"
            description="Leave empty and certdesk makes one for you."
            autoComplete="new-password"
            value={pfxPassword}
            onChange={(e) => setPfxPassword(e.currentTarget.value)}
            maw={420}
          />
          <Checkbox
            label="Also show the private key as PEM (it is always inside the PFX)"
            checked={includeKey}
            onChange={(e) => setIncludeKey(e.currentTarget.checked)}
          />
          <Group>
            <Button
              type="submit"
              color="orange"
              disabled={!commonName.trim() || !days}
              loading={create.isPending}
              leftSection={<IconFlask size={16} />}
            >
              Create test certificate
            </Button>
          </Group>
        </Stack>
      </form>
      {create.isError && !fieldError('commonName') && !fieldError('subjectAltNames') ? (
        <ErrorAlert error={create.error} title="Could not create the test certificate" />
      ) : null}
      {create.data && used ? (
        <Result
          key={create.data.fingerprintSha256}
          r={create.data}
          pfxPassword={used.pfxPassword}
          commonName={used.commonName}
        />
      ) : null}
    </Stack>
  );
}

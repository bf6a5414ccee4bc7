import { Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { STARTTLS_PROTOCOLS, type StartTls } from '../api/types.js';
import type { TargetFormValues } from './target-form-values.js';

const STARTTLS_OPTIONS = [
  { value: 'none', label: 'None (direct TLS, e.g. HTTPS)' },
  ...STARTTLS_PROTOCOLS.map((p) => ({ value: p, label: `${p.toUpperCase()} STARTTLS` })),
];

interface VerifyFieldsProps {
  values: TargetFormValues;
  set: <K extends keyof TargetFormValues>(key: K, value: TargetFormValues[K]) => void;
  errors: Record<string, string>;
}

/** The service that should serve the certificate after the hook: checked by a real TLS handshake. */
export function VerifyFields({ values, set, errors }: VerifyFieldsProps) {
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        After the hook, certdesk connects here and compares the served certificate with the deployed one; if
        they differ the previous files are put back. Leave the host empty to skip the check (no drift
        detection either).
      </Text>
      <Group align="flex-start" gap="sm" wrap="wrap">
        <TextInput
          label="Verify host"
          placeholder="127.0.0.1 or web01.example.com"
          value={values.verifyHost}
          onChange={(e) => set('verifyHost', e.currentTarget.value)}
          error={errors['verify.host']}
          style={{ flex: '2 1 220px' }}
          spellCheck={false}
        />
        <TextInput
          label="Verify port"
          inputMode="numeric"
          value={values.verifyPort}
          onChange={(e) => set('verifyPort', e.currentTarget.value)}
          error={errors['verify.port']}
          w={110}
        />
        <TextInput
          label="Server name (SNI)"
          placeholder="same as the host"
          value={values.verifyServerName}
          onChange={(e) => set('verifyServerName', e.currentTarget.value)}
          error={errors['verify.serverName']}
          style={{ flex: '2 1 200px' }}
          spellCheck={false}
        />
        <Select
          label="STARTTLS"
          data={STARTTLS_OPTIONS}
          value={values.starttls}
          onChange={(v) => set('starttls', (v ?? 'none') as StartTls | 'none')}
          allowDeselect={false}
          error={errors['verify.starttls']}
          style={{ flex: '1 1 200px' }}
          comboboxProps={{ width: 'max-content', position: 'bottom-start' }}
        />
      </Group>
    </Stack>
  );
}

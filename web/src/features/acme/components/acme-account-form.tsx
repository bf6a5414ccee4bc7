import { Button, Checkbox, Group, PasswordInput, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../../../components/error-alert.js';
import { useCreateAcmeAccount } from '../api/create-account.js';

const PRESETS = [
  { value: 'https://acme-v02.api.letsencrypt.org/directory', label: "Let's Encrypt" },
  { value: 'https://acme-staging-v02.api.letsencrypt.org/directory', label: "Let's Encrypt staging" },
  { value: 'custom', label: 'Custom directory URL (commercial or internal CA)' },
];

/** Registers an ACME account; EAB fields for CAs that require external account binding. */
export function AcmeAccountForm({ onCreated }: { onCreated?: (id: number) => void }) {
  const create = useCreateAcmeAccount();
  const [preset, setPreset] = useState<string>(PRESETS[0]?.value ?? 'custom');
  const [custom, setCustom] = useState('');
  const [email, setEmail] = useState('');
  const [agreed, setAgreed] = useState(false);
  const [kid, setKid] = useState('');
  const [hmacKey, setHmacKey] = useState('');
  const [caPem, setCaPem] = useState('');
  const directoryUrl = preset === 'custom' ? custom : preset;
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate(
          {
            directoryUrl,
            email,
            termsOfServiceAgreed: agreed,
            ...(kid && hmacKey ? { eab: { kid, hmacKey } } : {}),
            ...(caPem.trim() ? { caPem } : {}),
          },
          { onSuccess: (a) => onCreated?.(a.id) },
        );
      }}
    >
      <Stack gap="sm">
        <Select
          label="Certificate authority"
          data={PRESETS}
          value={preset}
          onChange={(v) => setPreset(v ?? 'custom')}
          allowDeselect={false}
        />
        {preset === 'custom' && (
          <TextInput
            label="Directory URL"
            placeholder="https://acme.example.com/directory"
            value={custom}
            onChange={(e) => setCustom(e.currentTarget.value)}
            required
          />
        )}
        <TextInput
          label="Contact e-mail"
          type="email"
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
        />
        <Group grow>
          <TextInput
            label="EAB key ID (optional)"
            description="From your CA's ACME settings"
            value={kid}
            onChange={(e) => setKid(e.currentTarget.value)}
          />
          <PasswordInput
            label="EAB HMAC key (optional)"
            description="Stored encrypted, never shown again"
            value={hmacKey}
            onChange={(e) => setHmacKey(e.currentTarget.value)}
          />
        </Group>
        {preset === 'custom' && (
          <Textarea
            label="Extra CA certificate for this directory (PEM, optional)"
            description="Only for a CA whose HTTPS certificate is not publicly trusted"
            autosize
            minRows={2}
            maxRows={6}
            value={caPem}
            onChange={(e) => setCaPem(e.currentTarget.value)}
          />
        )}
        <Checkbox
          label="I agree to the CA's terms of service"
          checked={agreed}
          onChange={(e) => setAgreed(e.currentTarget.checked)}
        />
        <ErrorAlert error={create.error} title="The account was not created" />
        <Group>
          <Button type="submit" loading={create.isPending} disabled={!agreed || !directoryUrl}>
            Create account
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

import { Code, Group, Stack, Text, Textarea, TextInput } from '@mantine/core';
import type { TargetFormValues } from './target-form-values.js';

interface SshFieldsProps {
  values: TargetFormValues;
  set: <K extends keyof TargetFormValues>(key: K, value: TargetFormValues[K]) => void;
  errors: Record<string, string>;
  editing: boolean;
}

/** Where certdesk signs in: the host key is pinned (no trust on first use), the key is sealed at rest. */
export function SshFields({ values, set, errors, editing }: SshFieldsProps) {
  const host = values.sshHost.trim() || 'web01.example.com';
  const port = values.sshPort.trim() && values.sshPort.trim() !== '22' ? ` -p ${values.sshPort.trim()}` : '';
  return (
    <Stack gap="sm" data-testid="ssh-fields">
      <Group align="flex-start" gap="sm" wrap="wrap">
        <TextInput
          label="SSH host"
          placeholder="web01.example.com"
          value={values.sshHost}
          onChange={(e) => set('sshHost', e.currentTarget.value)}
          error={errors['ssh.host']}
          style={{ flex: '3 1 240px' }}
          spellCheck={false}
        />
        <TextInput
          label="Port"
          inputMode="numeric"
          value={values.sshPort}
          onChange={(e) => set('sshPort', e.currentTarget.value)}
          error={errors['ssh.port']}
          w={100}
        />
        <TextInput
          label="User name"
          placeholder="deploy"
          value={values.sshUsername}
          onChange={(e) => set('sshUsername', e.currentTarget.value)}
          error={errors['ssh.username']}
          style={{ flex: '1 1 160px' }}
          spellCheck={false}
          autoComplete="off"
        />
      </Group>
      <TextInput
        label="Host key fingerprint"
        placeholder="SHA256:…"
        value={values.sshHostKey}
        onChange={(e) => set('sshHostKey', e.currentTarget.value)}
        error={errors['ssh.hostKeySha256']}
        spellCheck={false}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        description={
          <>
            certdesk connects only when the server shows exactly this key. Get it on a machine you trust:{' '}
            <Code>
              ssh-keyscan{port} {host} 2&gt;/dev/null | ssh-keygen -lf -
            </Code>{' '}
            (or, on the server itself, <Code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</Code>) and
            paste the <Code>SHA256:…</Code> part.
          </>
        }
      />
      <Textarea
        label="Private key"
        placeholder={editing ? 'Stored — leave empty to keep it' : '-----BEGIN OPENSSH PRIVATE KEY-----'}
        description={
          editing
            ? 'Stored — leave empty to keep it. Paste a new key only to replace it.'
            : 'OpenSSH or PEM private key of the user above (its public key in ~/.ssh/authorized_keys). Stored sealed, never shown again.'
        }
        value={values.sshPrivateKey}
        onChange={(e) => set('sshPrivateKey', e.currentTarget.value)}
        error={errors['ssh.privateKey']}
        autosize
        minRows={3}
        maxRows={8}
        spellCheck={false}
        autoComplete="off"
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
      />
      <Text size="xs" c="dimmed">
        The user needs write access to the directories of the files below; the hook runs as that user too.
      </Text>
    </Stack>
  );
}

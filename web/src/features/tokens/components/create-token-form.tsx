import { TOKEN_DEFAULT_DAYS } from '@certdesk/shared/rules';
import type { TokenCreated } from '@certdesk/shared/types';
import { Button, Group, Paper, Select, Text, TextInput } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { ErrorAlert } from '../../../components/error-alert.js';
import { PasswordPromptModal } from '../../../components/password-prompt-modal.js';
import { useCreateToken } from '../api/create-token.js';

const LIFETIMES = [7, 30, 90, 180, 365].map((days) => ({ value: String(days), label: `${days} days` }));

export function CreateTokenForm({ onCreated }: { onCreated: (token: TokenCreated) => void }) {
  const [name, setName] = useState('');
  const [days, setDays] = useState(String(TOKEN_DEFAULT_DAYS));
  const [asking, setAsking] = useState(false);
  const create = useCreateToken();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    create.reset();
    setAsking(true);
  };

  // The password is asked again because a token outlives the session that makes it.
  const createWith = (password: string, totp?: string) =>
    create.mutate(
      { name: name.trim(), password, ...(totp ? { totp } : {}), expiresInDays: Number(days) },
      {
        onSuccess: (token) => {
          setAsking(false);
          setName('');
          onCreated(token);
        },
      },
    );

  return (
    <Paper withBorder p="md" radius="md" mb="lg">
      <form onSubmit={submit}>
        <Text fw={600} mb={4}>
          Create a token
        </Text>
        <Text size="sm" c="dimmed" mb="sm">
          Name it after where it will be used, e.g. “renewal script on web01”, so you know which one to delete
          later. It stops working when it expires; create a new one then.
        </Text>
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput
            label="Token name"
            placeholder="renewal script on web01"
            name="name"
            maxLength={100}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            style={{ flex: '1 1 260px' }}
          />
          <Select
            aria-label="Expires after"
            data={LIFETIMES}
            value={days}
            onChange={(v) => setDays(v ?? String(TOKEN_DEFAULT_DAYS))}
            allowDeselect={false}
            w={140}
          />
          <Button
            type="submit"
            leftSection={<IconPlus size={16} />}
            loading={create.isPending}
            disabled={!name.trim()}
          >
            Create token
          </Button>
        </Group>
        {create.isError && !asking ? (
          <ErrorAlert error={create.error} title="The token was not created" onClose={() => create.reset()} />
        ) : null}
      </form>
      <PasswordPromptModal
        opened={asking}
        title="Confirm with your password"
        reason="An API token acts as you without signing in, until it expires or is deleted."
        confirmLabel="Create token"
        onSubmit={createWith}
        onClose={() => setAsking(false)}
        loading={create.isPending}
        error={create.error}
      />
    </Paper>
  );
}

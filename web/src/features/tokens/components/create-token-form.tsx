import type { TokenCreated } from '@certdesk/shared/types';
import { Button, Group, Paper, Text, TextInput } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { ErrorAlert } from '../../../components/error-alert.js';
import { useCreateToken } from '../api/create-token.js';

export function CreateTokenForm({ onCreated }: { onCreated: (token: TokenCreated) => void }) {
  const [name, setName] = useState('');
  const create = useCreateToken();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    create.mutate(
      { name: trimmed },
      {
        onSuccess: (token) => {
          setName('');
          onCreated(token);
        },
      },
    );
  };

  return (
    <Paper withBorder p="md" radius="md" mb="lg">
      <form onSubmit={submit}>
        <Text fw={600} mb={4}>
          Create a token
        </Text>
        <Text size="sm" c="dimmed" mb="sm">
          Name it after where it will be used, e.g. “renewal script on web01”, so you know which one to delete
          later.
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
          <Button
            type="submit"
            leftSection={<IconPlus size={16} />}
            loading={create.isPending}
            disabled={!name.trim()}
          >
            Create token
          </Button>
        </Group>
        {create.isError ? (
          <ErrorAlert error={create.error} title="The token was not created" onClose={() => create.reset()} />
        ) : null}
      </form>
    </Paper>
  );
}

import { ROLES, type Role, TOKEN_DEFAULT_DAYS } from '@certdesk/shared/rules';
import type { TokenCreated } from '@certdesk/shared/types';
import { Button, Group, Paper, Select, Text, TextInput } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { ErrorAlert } from '../../../components/error-alert.js';
import { PasswordPromptModal } from '../../../components/password-prompt-modal.js';
import { useRole } from '../../../lib/permissions.js';
import { useCreateToken } from '../api/create-token.js';

const ROLE_LABELS: Record<Role, string> = {
  admin: 'Administrator',
  operator: 'Operator',
  auditor: 'Auditor (read only)',
};

const LIFETIMES = [7, 30, 90, 180, 365].map((days) => ({ value: String(days), label: `${days} days` }));

export function CreateTokenForm({ onCreated }: { onCreated: (token: TokenCreated) => void }) {
  const [name, setName] = useState('');
  const [days, setDays] = useState(String(TOKEN_DEFAULT_DAYS));
  const [asking, setAsking] = useState(false);
  const myRole = useRole();
  // A token acts with your role or a narrower one, never more: the choices stop at your own role.
  const roles = myRole ? ROLES.slice(ROLES.indexOf(myRole)) : [];
  const [role, setRole] = useState<Role | null>(null);
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
      {
        name: name.trim(),
        password,
        ...(totp ? { totp } : {}),
        expiresInDays: Number(days),
        ...(role && role !== myRole ? { role } : {}),
      },
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
          {roles.length > 1 ? (
            <Select
              aria-label="Acts as"
              data={roles.map((r) => ({
                value: r,
                label: r === myRole ? `${ROLE_LABELS[r]} (your role)` : ROLE_LABELS[r],
              }))}
              value={role ?? myRole}
              onChange={(v) => setRole(v as Role)}
              allowDeselect={false}
              w={220}
            />
          ) : null}
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

import { PASSWORD_MIN_LENGTH, type Role } from '@certdesk/shared/rules';
import { Button, Group, Modal, PasswordInput, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useEffect, useState } from 'react';
import { ErrorAlert } from '../../../components/error-alert.js';
import { useCreateUser } from '../api/create-user.js';

const USERNAME = /^[A-Za-z0-9._-]+$/;

const ROLE_HELP: Record<Role, string> = {
  admin: 'Everything, users and private-key export included.',
  operator: "Everything but users, other people's API tokens and private-key export.",
  auditor: 'Reads the inventory, reports, dashboard, audit log and settings; changes nothing.',
};

export function AddUserDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const create = useCreateUser();
  const { reset } = create;

  // Forget what was typed whenever the dialog closes.
  useEffect(() => {
    if (!opened) {
      setUsername('');
      setPassword('');
      setRole('operator');
      reset();
    }
  }, [opened, reset]);

  const badName = username.length > 0 && !USERNAME.test(username);
  const tooShort = password.length > 0 && password.length < PASSWORD_MIN_LENGTH;
  const ready = username.length > 0 && !badName && password.length >= PASSWORD_MIN_LENGTH;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    create.mutate(
      { username, password, role },
      {
        onSuccess: (user) => {
          notifications.show({ color: 'teal', message: `${user.username} can now sign in.` });
          onClose();
        },
      },
    );
  };

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      closeButtonProps={{ 'aria-label': 'Close' }}
      title={<Text fw={600}>Add user</Text>}
    >
      <form onSubmit={submit}>
        <Stack gap="md">
          <TextInput
            label="User name"
            description="Letters, digits, dot, dash and underscore"
            data-autofocus
            required
            value={username}
            error={badName ? 'Use letters, digits, ".", "-" or "_".' : undefined}
            onChange={(e) => setUsername(e.currentTarget.value.trim())}
          />
          <PasswordInput
            label="Password"
            description={`At least ${PASSWORD_MIN_LENGTH} characters; give it to the user over a trusted channel`}
            autoComplete="new-password"
            required
            value={password}
            error={tooShort ? `Use at least ${PASSWORD_MIN_LENGTH} characters.` : undefined}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          <Stack gap={4}>
            <Text size="sm" fw={500} id="add-user-role">
              Role
            </Text>
            <SegmentedControl
              aria-labelledby="add-user-role"
              value={role}
              onChange={(v) => setRole(v as Role)}
              data={[
                { value: 'admin', label: 'Administrator' },
                { value: 'operator', label: 'Operator' },
                { value: 'auditor', label: 'Auditor' },
              ]}
            />
            <Text size="xs" c="dimmed">
              {ROLE_HELP[role]}
            </Text>
          </Stack>
          {create.isError ? <ErrorAlert error={create.error} title="The user was not added" /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!ready}>
              Add user
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

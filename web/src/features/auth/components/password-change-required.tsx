import { Button, Group, PasswordInput, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { ErrorAlert } from '../../../components/error-alert.js';
import { useChangePassword } from '../api/change-password.js';
import { useLogout } from '../api/logout.js';
import { authKeys } from '../api/query-keys.js';
import { AuthLayout } from './auth-layout.js';
import { NewPasswordFields, useNewPassword } from './new-password-fields.js';

/**
 * After signing in with a one-time password (an administrator reset it): the server answers nothing but
 * this change, so the console shows nothing else until it is done.
 */
export function PasswordChangeRequired({ username }: { username: string }) {
  const [current, setCurrent] = useState('');
  const newPassword = useNewPassword();
  const change = useChangePassword();
  const logout = useLogout();
  const queryClient = useQueryClient();
  const navigate = useNavigate();

  const ready = current.length > 0 && newPassword.acceptable;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    change.mutate(
      { currentPassword: current, newPassword: newPassword.next },
      { onSuccess: () => void queryClient.invalidateQueries({ queryKey: authKeys.me }) },
    );
  };

  return (
    <AuthLayout
      title="Choose a new password"
      subtitle={`${username}, you signed in with a one-time password. Choose your own before going on.`}
    >
      <form onSubmit={submit}>
        <Stack gap="md">
          <PasswordInput
            label="One-time password"
            autoComplete="current-password"
            data-autofocus
            required
            value={current}
            onChange={(e) => setCurrent(e.currentTarget.value)}
          />
          <NewPasswordFields state={newPassword} />
          {change.isError ? <ErrorAlert error={change.error} title="The password was not changed" /> : null}
          <Group justify="space-between">
            <Button
              variant="subtle"
              color="gray"
              onClick={() =>
                logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) })
              }
            >
              Sign out
            </Button>
            <Button type="submit" loading={change.isPending} disabled={!ready}>
              Save and continue
            </Button>
          </Group>
        </Stack>
      </form>
      <Text size="xs" c="dimmed" mt="md">
        Until then every other page answers “password change required”.
      </Text>
    </AuthLayout>
  );
}

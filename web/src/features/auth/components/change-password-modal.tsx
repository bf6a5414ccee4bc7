import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useEffect, useState } from 'react';
import { ErrorAlert } from '../../../components/error-alert.js';
import { asksForCode, TwoFactorCodeInput } from '../../../components/two-factor-code-input.js';
import { useChangePassword } from '../api/change-password.js';
import { NewPasswordFields, useNewPassword } from './new-password-fields.js';

export function ChangePasswordModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [current, setCurrent] = useState('');
  const newPassword = useNewPassword();
  const [totp, setTotp] = useState('');
  const change = useChangePassword();
  const { reset } = change;
  const clearNewPassword = newPassword.clear;

  // Forget what was typed whenever the dialog closes.
  useEffect(() => {
    if (!opened) {
      setCurrent('');
      clearNewPassword();
      setTotp('');
      reset();
    }
  }, [opened, reset, clearNewPassword]);

  const ready = current.length > 0 && newPassword.acceptable;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    change.mutate(
      { currentPassword: current, newPassword: newPassword.next, ...(totp ? { totp } : {}) },
      {
        onSuccess: () => {
          notifications.show({
            color: 'teal',
            message: 'Password changed. Your other sessions were signed out.',
          });
          onClose();
        },
      },
    );
  };

  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>Change password</Text>}>
      <form onSubmit={submit}>
        <Stack gap="md">
          <Text size="sm">
            Every other browser signed in to this account is signed out. API tokens keep working.
          </Text>
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            data-autofocus
            required
            value={current}
            onChange={(e) => setCurrent(e.currentTarget.value)}
          />
          {asksForCode(change.error) || totp ? <TwoFactorCodeInput value={totp} onChange={setTotp} /> : null}
          <NewPasswordFields state={newPassword} />
          {change.isError ? <ErrorAlert error={change.error} title="The password was not changed" /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={change.isPending} disabled={!ready}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

import { PASSWORD_MIN_LENGTH } from '@certdesk/shared/rules';
import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useEffect, useState } from 'react';
import { ErrorAlert } from '../../../components/error-alert.js';
import { asksForCode, TwoFactorCodeInput } from '../../../components/two-factor-code-input.js';
import { useChangePassword } from '../api/change-password.js';

export function ChangePasswordModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [totp, setTotp] = useState('');
  const change = useChangePassword();
  const { reset } = change;

  // Forget what was typed whenever the dialog closes.
  useEffect(() => {
    if (!opened) {
      setCurrent('');
      setNext('');
      setRepeat('');
      setTotp('');
      reset();
    }
  }, [opened, reset]);

  const tooShort = next.length > 0 && next.length < PASSWORD_MIN_LENGTH;
  const mismatch = repeat.length > 0 && repeat !== next;
  const ready = current.length > 0 && next.length >= PASSWORD_MIN_LENGTH && repeat === next;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    change.mutate(
      { currentPassword: current, newPassword: next, ...(totp ? { totp } : {}) },
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
          <PasswordInput
            label="New password"
            description={`At least ${PASSWORD_MIN_LENGTH} characters`}
            autoComplete="new-password"
            required
            value={next}
            error={tooShort ? `Use at least ${PASSWORD_MIN_LENGTH} characters.` : undefined}
            onChange={(e) => setNext(e.currentTarget.value)}
          />
          <PasswordInput
            label="New password again"
            autoComplete="new-password"
            required
            value={repeat}
            error={mismatch ? 'The two new passwords differ.' : undefined}
            onChange={(e) => setRepeat(e.currentTarget.value)}
          />
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

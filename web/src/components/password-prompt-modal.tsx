import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { ErrorAlert } from './error-alert.js';

interface PasswordPromptModalProps {
  opened: boolean;
  title: string;
  /** Why the password is asked again (e.g. "A private key is leaving the server."). */
  reason: ReactNode;
  confirmLabel: string;
  /** Receives the account password; the caller sends it with its request. Never stored here. */
  onSubmit: (password: string) => void;
  onClose: () => void;
  loading?: boolean;
  /** The failed attempt (e.g. REAUTH_FAILED), shown in the dialog. */
  error?: unknown;
  /** Extra fields above the password (e.g. a passphrase for the exported key). */
  children?: ReactNode;
}

/** Asks for the signed-in account's password again before a secret leaves the server. */
export function PasswordPromptModal({
  opened,
  title,
  reason,
  confirmLabel,
  onSubmit,
  onClose,
  loading,
  error,
  children,
}: PasswordPromptModalProps) {
  const [password, setPassword] = useState('');
  // Forget the typed password whenever the dialog closes.
  useEffect(() => {
    if (!opened) setPassword('');
  }, [opened]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (password) onSubmit(password);
  };

  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>{title}</Text>}>
      <form onSubmit={submit}>
        <Stack gap="md">
          <Text size="sm">{reason}</Text>
          {children}
          <PasswordInput
            label="Your account password"
            autoComplete="current-password"
            data-autofocus
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
          />
          {error ? <ErrorAlert error={error} title="Not done" /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={loading} disabled={!password}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

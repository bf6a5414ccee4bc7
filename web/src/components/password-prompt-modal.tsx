import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { ErrorAlert } from './error-alert.js';
import { asksForCode, TwoFactorCodeInput } from './two-factor-code-input.js';

interface PasswordPromptModalProps {
  opened: boolean;
  title: string;
  /** Why the password is asked again (e.g. "A private key is leaving the server."). */
  reason: ReactNode;
  confirmLabel: string;
  /**
   * Receives the account password and, once two-factor sign-in is on, the code (field `totp`); the
   * caller sends them with its request. Never stored here.
   */
  onSubmit: (password: string, totp?: string) => void;
  /** Ask for the two-factor code from the start (otherwise it appears when the server asks for it). */
  askCode?: boolean;
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
  askCode,
}: PasswordPromptModalProps) {
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const serverAsked = asksForCode(error);
  const [codeShown, setCodeShown] = useState(false);
  const withCode = askCode || codeShown || serverAsked;
  useEffect(() => {
    if (serverAsked) setCodeShown(true);
  }, [serverAsked]);
  // Forget what was typed whenever the dialog closes.
  useEffect(() => {
    if (!opened) {
      setPassword('');
      setCode('');
      setCodeShown(false);
    }
  }, [opened]);

  const ready = !!password && (!withCode || !!code.trim());
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (ready) onSubmit(password, withCode ? code.trim() : undefined);
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
          {withCode ? <TwoFactorCodeInput value={code} onChange={setCode} /> : null}
          {error ? <ErrorAlert error={error} title="Not done" /> : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={loading} disabled={!ready}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

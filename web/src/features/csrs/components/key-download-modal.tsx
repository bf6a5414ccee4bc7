import { PasswordInput, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { PasswordPromptModal } from '../../../components/password-prompt-modal.js';
import { useDownloadKey } from '../api/download-key.js';

interface Props {
  csrId: number;
  opened: boolean;
  onClose: () => void;
}

/** "Download key": the account password again, and an optional passphrase that encrypts the file (PKCS#8, AES-256). */
export function KeyDownloadModal({ csrId, opened, onClose }: Props) {
  const download = useDownloadKey(csrId);
  const { reset } = download;
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [tried, setTried] = useState(false);
  useEffect(() => {
    if (!opened) {
      setPassphrase('');
      setConfirm('');
      setTried(false);
      reset();
    }
  }, [opened, reset]);
  // A passphrase typed once could hold a typo nobody can undo later: ask for it twice.
  const mismatch = passphrase !== '' && passphrase !== confirm;
  const confirmError = !mismatch
    ? undefined
    : confirm === ''
      ? tried
        ? 'Enter the passphrase again to confirm it.'
        : undefined
      : 'The two passphrases differ.';

  return (
    <PasswordPromptModal
      opened={opened}
      title="Download the private key"
      reason="A private key is about to leave the server. Anyone with this file can impersonate the server, so enter your account password again."
      confirmLabel="Download server.key"
      loading={download.isPending}
      error={download.error}
      onClose={onClose}
      onSubmit={(password, totp) => {
        setTried(true);
        if (mismatch) return;
        download.mutate(
          { password, ...(totp ? { totp } : {}), ...(passphrase ? { passphrase } : {}) },
          {
            onSuccess: (filename) => {
              notifications.show({
                color: 'teal',
                title: 'Key downloaded',
                message: `Saved as ${filename}.`,
              });
              onClose();
            },
          },
        );
      }}
    >
      <Stack gap="xs">
        <PasswordInput
          label="Passphrase for the file (optional)"
          description="When set, the key file is encrypted (PKCS#8, AES-256-CBC). Leave empty for an unencrypted key."
          autoComplete="new-password"
          value={passphrase}
          onChange={(e) => setPassphrase(e.currentTarget.value)}
          data-testid="key-passphrase"
        />
        {passphrase ? (
          <PasswordInput
            label="Passphrase again"
            autoComplete="new-password"
            value={confirm}
            error={confirmError}
            onChange={(e) => setConfirm(e.currentTarget.value)}
            data-testid="key-passphrase-confirm"
          />
        ) : (
          <Text size="xs" c="dimmed">
            An unencrypted key file must be protected by file permissions wherever it is copied.
          </Text>
        )}
      </Stack>
    </PasswordPromptModal>
  );
}

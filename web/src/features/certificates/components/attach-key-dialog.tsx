import type { CertificateDetail, ImportResponse } from '@certdesk/shared/types';
import { Alert, Button, FileInput, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { IconCircleCheck, IconKey } from '@tabler/icons-react';
import { type FormEvent, useEffect, useState } from 'react';
import { CheckList } from '../../../components/check-list.js';
import { ErrorAlert } from '../../../components/error-alert.js';
import { useAttachKey } from '../api/attach-key.js';

interface Props {
  cert: CertificateDetail;
  opened: boolean;
  onClose: () => void;
}

/**
 * "Attach private key" for a certificate stored without one: the key file (plain or encrypted) or a PFX
 * that holds it. The server checks it belongs to this certificate; the report of the pairing is shown.
 */
export function AttachKeyDialog({ cert, opened, onClose }: Props) {
  const mutation = useAttachKey();
  const [file, setFile] = useState<File | null>(null);
  const [password, setPassword] = useState('');
  const [done, setDone] = useState<ImportResponse | null>(null);

  // The password never outlives the dialog.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the dialog opens or closes, not when the mutation object changes
  useEffect(() => {
    if (!opened) {
      setFile(null);
      setPassword('');
      setDone(null);
      mutation.reset();
    }
  }, [opened]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    mutation.mutate({ id: cert.id, file, password }, { onSuccess: setDone });
  };

  return (
    <Modal opened={opened} onClose={onClose} title="Attach private key" size="lg">
      {done ? (
        <Stack gap="md" data-testid="attach-key-done">
          <Alert color="teal" icon={<IconCircleCheck size={18} />} title="Private key attached">
            <Text size="sm">
              {cert.commonName ?? cert.subject} now has its private key: it can be served and exported with
              its key. The checks of the pairing:
            </Text>
          </Alert>
          <CheckList checks={done.report.checks} />
          <Group justify="flex-end">
            <Button onClick={onClose} data-testid="attach-key-close">
              Done
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit}>
          <Stack gap="md">
            <Text size="sm">
              This certificate was imported without its private key. Choose the key file (.key, PEM or DER,
              plain or encrypted) or a .pfx/.p12 that holds it. certdesk checks that it belongs to this
              certificate before storing it, sealed like every key.
            </Text>
            <FileInput
              label="Key file"
              placeholder="Choose the file"
              value={file}
              onChange={(f) => {
                setFile(f);
                mutation.reset();
              }}
              leftSection={<IconKey size={16} />}
              clearable
              required
              data-testid="attach-key-file"
            />
            <PasswordInput
              label="Password"
              description="For an encrypted key or a .pfx/.p12 file. Leave empty otherwise."
              value={password}
              onChange={(e) => {
                setPassword(e.currentTarget.value);
                mutation.reset();
              }}
              autoComplete="off"
              data-testid="attach-key-password"
            />
            <ErrorAlert error={mutation.error} title="The key was not attached" />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button
                type="submit"
                loading={mutation.isPending}
                disabled={!file}
                leftSection={<IconKey size={16} />}
                data-testid="attach-key-submit"
              >
                Attach
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

import type { CertificateDetail } from '@certdesk/shared/types';
import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useEffect, useState } from 'react';
import { ErrorAlert } from '../../../components/error-alert.js';
import { useRenameCertificate } from '../api/rename-certificate.js';

interface Props {
  cert: CertificateDetail;
  opened: boolean;
  onClose: () => void;
}

/** A display name for the inventory ("Intranet portal 2027"); the certificate itself does not change. */
export function RenameDialog({ cert, opened, onClose }: Props) {
  const rename = useRenameCertificate();
  const [name, setName] = useState(cert.name ?? '');
  // biome-ignore lint/correctness/useExhaustiveDependencies: start from the stored name each time the dialog opens
  useEffect(() => {
    if (opened) {
      setName(cert.name ?? '');
      rename.reset();
    }
  }, [opened]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    rename.mutate(
      { id: cert.id, name },
      {
        onSuccess: (summary) => {
          notifications.show({
            color: 'teal',
            title: 'Renamed',
            message: summary.name
              ? `The certificate is now called "${summary.name}".`
              : 'The name was cleared: the common name is shown.',
          });
          onClose();
        },
      },
    );
  };

  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>Rename certificate</Text>}>
      <form onSubmit={submit}>
        <Stack gap="md">
          <TextInput
            label="Name"
            description={`Shown in the inventory next to the common name. Leave empty to show ${cert.commonName ?? 'the subject'}.`}
            value={name}
            maxLength={200}
            onChange={(e) => setName(e.currentTarget.value)}
            data-autofocus
            data-testid="rename-input"
          />
          <ErrorAlert error={rename.error} title="The name was not saved" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={rename.isPending} data-testid="rename-submit">
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

import { Button, Group } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconKey } from '@tabler/icons-react';
import { useState } from 'react';
import { ErrorAlert } from '../../../components/error-alert.js';
import { useCan } from '../../../lib/permissions.js';
import { useDownloadCsr } from '../api/download-csr.js';
import { KeyDownloadModal } from './key-download-modal.js';

/** "Download server.csr" and "Download private key…" for one CSR. */
export function CsrDownloads({ csrId }: { csrId: number }) {
  const downloadCsr = useDownloadCsr();
  const [keyOpen, setKeyOpen] = useState(false);
  const canExportKeys = useCan('keys:export');
  return (
    <>
      <Group gap="sm">
        <Button
          leftSection={<IconDownload size={16} />}
          loading={downloadCsr.isPending}
          onClick={() =>
            downloadCsr.mutate(csrId, {
              onSuccess: (filename) =>
                notifications.show({
                  color: 'teal',
                  title: 'CSR downloaded',
                  message: `Saved as ${filename}. Send it to your CA.`,
                }),
            })
          }
          data-testid="download-csr"
        >
          Download server.csr
        </Button>
        {canExportKeys ? (
          <Button
            variant="default"
            leftSection={<IconKey size={16} />}
            onClick={() => setKeyOpen(true)}
            data-testid="download-key"
          >
            Download private key…
          </Button>
        ) : null}
      </Group>
      {downloadCsr.isError ? (
        <ErrorAlert error={downloadCsr.error} title="Could not download the CSR" />
      ) : null}
      <KeyDownloadModal csrId={csrId} opened={keyOpen} onClose={() => setKeyOpen(false)} />
    </>
  );
}

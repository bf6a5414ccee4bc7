import type { TrustAnchor } from '@certdesk/shared/types';
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  FileButton,
  Group,
  Stack,
  Table,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { IconTrash, IconUpload } from '@tabler/icons-react';
import { useState } from 'react';
import { ConfirmModal } from '../../../components/confirm-modal.js';
import { EmptyState } from '../../../components/empty-state.js';
import { ErrorAlert } from '../../../components/error-alert.js';
import { PageHeader } from '../../../components/page-header.js';
import { PageLoader } from '../../../components/page-loader.js';
import { ApiError } from '../../../lib/api-client.js';
import { formatDate, formatDateTime } from '../../../lib/format.js';
import { useCan } from '../../../lib/permissions.js';
import { useAddTrustAnchor } from '../api/add-trust-anchor.js';
import { useDeleteTrustAnchor } from '../api/delete-trust-anchor.js';
import { useTrustAnchors } from '../api/get-trust-anchors.js';
import { IntermediateChoice } from './intermediate-choice.js';

export function TrustAnchorsPage() {
  const anchors = useTrustAnchors();
  const add = useAddTrustAnchor();
  const remove = useDeleteTrustAnchor();
  const [toDelete, setToDelete] = useState<TrustAnchor | null>(null);
  const canWrite = useCan('inventory:write');
  // The file the server refused as "not a root", kept so the administrator can trust it deliberately.
  const [intermediate, setIntermediate] = useState<File | null>(null);
  const submit = (file: File, allowIntermediate = false) =>
    add.mutate(
      { file, allowIntermediate },
      {
        onSuccess: () => setIntermediate(null),
        onError: (err) =>
          setIntermediate(err instanceof ApiError && err.code === 'TRUST_ANCHOR_NOT_ROOT' ? file : null),
      },
    );

  const upload = (
    <FileButton onChange={(file) => file && submit(file)}>
      {(props) => (
        <Button
          {...props}
          leftSection={<IconUpload size={16} />}
          loading={add.isPending}
          data-testid="trust-anchor-add"
        >
          Add root certificate
        </Button>
      )}
    </FileButton>
  );

  return (
    <Stack gap="lg">
      <PageHeader
        title="Trust anchors"
        description={`Chains are verified against Node's bundled Mozilla roots${anchors.data ? ` (${anchors.data.mozillaRootCount} certificates)` : ''} plus the enterprise roots below. Add your private CA's root here so its certificates pass the chain check.`}
        actions={canWrite ? upload : null}
      />
      {intermediate ? (
        <IntermediateChoice
          fileName={intermediate.name}
          pending={add.isPending}
          onTrust={() => submit(intermediate, true)}
          onCancel={() => {
            setIntermediate(null);
            add.reset();
          }}
        />
      ) : add.error ? (
        <ErrorAlert error={add.error} title="The root was not added" onClose={() => add.reset()} />
      ) : null}
      {add.data?.warning ? (
        <Alert
          color="yellow"
          title="Intermediate trusted"
          withCloseButton
          onClose={() => add.reset()}
          data-testid="trust-anchor-warning"
        >
          {add.data.warning}
        </Alert>
      ) : null}
      {anchors.isPending ? <PageLoader /> : null}
      {anchors.error ? <ErrorAlert error={anchors.error} /> : null}
      {anchors.data && anchors.data.items.length === 0 ? (
        <EmptyState
          title="No enterprise roots"
          description="Only the Mozilla roots are trusted. Upload a root CA certificate (PEM or DER) to trust your own CA."
        />
      ) : null}
      {anchors.data && anchors.data.items.length > 0 ? (
        <Card withBorder p={0}>
          <Table striped highlightOnHover data-testid="trust-anchor-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Subject</Table.Th>
                <Table.Th>Valid until</Table.Th>
                <Table.Th>SHA-256 fingerprint</Table.Th>
                <Table.Th>Added</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {anchors.data.items.map((a) => (
                <Table.Tr key={a.id}>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm" fw={600}>
                        {a.commonName ?? a.subject}
                      </Text>
                      {a.selfSigned === false ? (
                        <Tooltip label="An intermediate CA trusted on its own: it is sent to clients in every chain built through it.">
                          <Badge color="yellow" variant="light" size="sm">
                            Intermediate
                          </Badge>
                        </Tooltip>
                      ) : null}
                    </Group>
                    <Text size="xs" c="dimmed">
                      {a.subject}
                    </Text>
                  </Table.Td>
                  <Table.Td>{formatDate(a.notAfter)}</Table.Td>
                  <Table.Td>
                    <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
                      {a.fingerprintSha256}
                    </Text>
                  </Table.Td>
                  <Table.Td>{formatDateTime(a.createdAt)}</Table.Td>
                  <Table.Td>
                    {canWrite ? (
                      <Tooltip label="Remove">
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={`Remove ${a.commonName ?? a.subject}`}
                          onClick={() => setToDelete(a)}
                        >
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Tooltip>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      ) : null}
      <ConfirmModal
        opened={toDelete !== null}
        title="Remove trust anchor?"
        confirmLabel="Remove"
        loading={remove.isPending}
        error={remove.error}
        onClose={() => {
          setToDelete(null);
          remove.reset();
        }}
        onConfirm={() => toDelete && remove.mutate(toDelete.id, { onSuccess: () => setToDelete(null) })}
      >
        <Text size="sm">
          Certificates issued under <b>{toDelete?.commonName ?? toDelete?.subject}</b> will no longer pass the
          chain check at their next import. Certificates already imported are not changed.
        </Text>
      </ConfirmModal>
    </Stack>
  );
}

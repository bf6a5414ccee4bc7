import type { CertificateDetail, CertificateVersionRef } from '@certdesk/shared/types';
import { Anchor, Button, Paper, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowBackUp } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { CertificateStatusBadge } from '../../../components/certificate-status-badge.js';
import { ConfirmModal } from '../../../components/confirm-modal.js';
import { formatDate } from '../../../lib/format.js';
import { useCan } from '../../../lib/permissions.js';
import { useRestoreCertificate } from '../api/restore-certificate.js';

/** Why an earlier version cannot go back in service, or null when it can be restored. */
function cannotRestore(v: CertificateVersionRef): string | null {
  if (v.status !== 'superseded') return null;
  if (v.expired) return 'Expired: it cannot be served again.';
  if (!v.hasKey) return 'No private key stored: attach it first.';
  return null;
}

/**
 * This certificate and every version it replaced, newest first, each with "Restore this version": the
 * rollback is where the administrator is after a replacement, on the certificate now in service.
 */
export function VersionHistory({ cert }: { cert: CertificateDetail }) {
  const restore = useRestoreCertificate();
  const [target, setTarget] = useState<CertificateVersionRef | null>(null);
  const canWrite = useCan('inventory:write');
  if (cert.versionHistory.length === 0) return null;
  const close = () => {
    setTarget(null);
    restore.reset();
  };
  const current = cert.supersededBy === null;

  return (
    <Paper withBorder radius="md" p="md" data-testid="version-history">
      <Title order={4} mb={4}>
        Version history
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        The versions this certificate replaced, newest first. Restoring one puts it back wherever the newest
        version is used (the HTTPS certificate and host-name bindings), without dropping connections.
      </Text>
      <Table verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Version</Table.Th>
            <Table.Th>Valid</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>
              <VisuallyHidden>Action</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          <Table.Tr data-version={cert.id}>
            <Table.Td>
              <Text size="sm" fw={600}>
                #{cert.id} {cert.commonName} (this {current ? 'version' : 'page'})
              </Text>
            </Table.Td>
            <Table.Td>
              <Text size="sm">
                {formatDate(cert.notBefore)} – {formatDate(cert.notAfter)}
              </Text>
            </Table.Td>
            <Table.Td>
              <CertificateStatusBadge status={cert.status} />
            </Table.Td>
            <Table.Td />
          </Table.Tr>
          {cert.versionHistory.map((v) => {
            const reason = cannotRestore(v);
            return (
              <Table.Tr key={v.id} data-version={v.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/certificates/${v.id}`} size="sm">
                    #{v.id} {v.commonName}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">
                    {formatDate(v.notBefore)} – {formatDate(v.notAfter)}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <CertificateStatusBadge status={v.status} />
                </Table.Td>
                <Table.Td>
                  {v.status !== 'superseded' || !canWrite ? null : reason ? (
                    <Text size="xs" c="dimmed">
                      {reason}
                    </Text>
                  ) : (
                    <Button
                      size="xs"
                      color="orange"
                      variant="light"
                      leftSection={<IconArrowBackUp size={14} />}
                      onClick={() => setTarget(v)}
                      data-testid={`restore-version-${v.id}`}
                    >
                      Restore this version
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>

      <ConfirmModal
        opened={target !== null}
        title={`Restore #${target?.id ?? ''}?`}
        confirmLabel="Restore"
        danger={false}
        loading={restore.isPending}
        error={restore.error}
        onClose={close}
        onConfirm={() =>
          target &&
          restore.mutate(target.id, {
            onSuccess: (a) => {
              const moved = [
                a.movedActive ? 'the HTTPS certificate' : null,
                ...a.movedBindings.map((h) => `the binding for ${h}`),
              ].filter(Boolean);
              notifications.show({
                color: 'teal',
                title: 'Restored',
                message: moved.length
                  ? `#${target.id} serves ${moved.join(', ')} again.`
                  : `#${target.id} is current again. Nothing was in use, so nothing switched back.`,
              });
              close();
            },
          })
        }
      >
        <Text size="sm">
          #{target?.id} ({target?.commonName}, valid until {formatDate(target?.notAfter)}) takes back what the
          newest version serves now: the HTTPS certificate and any host-name bindings. The newer versions stay
          in the inventory; you can replace again later.
        </Text>
      </ConfirmModal>
    </Paper>
  );
}

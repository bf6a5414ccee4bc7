import type { CertificateDetail } from '@certdesk/shared/types';
import { Button, Group, List, Text, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconArrowBackUp,
  IconDownload,
  IconKey,
  IconPencil,
  IconRefresh,
  IconReplace,
  IconTrash,
} from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { ConfirmModal } from '../../../components/confirm-modal.js';
import { useCan } from '../../../lib/permissions.js';
import { useDeleteCertificate } from '../api/delete-certificate.js';
import { usePromoteCertificate } from '../api/promote-certificate.js';
import { useRestoreCertificate } from '../api/restore-certificate.js';
import { AttachKeyDialog } from './attach-key-dialog.js';
import { ExportDialog } from './export-dialog.js';
import { RenameDialog } from './rename-dialog.js';

type Pending = 'delete' | 'promote' | 'restore' | null;

/** Renew, export, replace in place, roll back, delete: each with a sentence saying what it does. */
export function CertificateActions({ cert }: { cert: CertificateDetail }) {
  const navigate = useNavigate();
  // Read-only roles (auditor) keep Export (the certificate, public) and lose every change.
  const canWrite = useCan('inventory:write');
  const [exportOpen, setExportOpen] = useState(false);
  const [attachOpen, setAttachOpen] = useState(false);
  const [renameOpen, setRenameOpen] = useState(false);
  const [pending, setPending] = useState<Pending>(null);
  const del = useDeleteCertificate();
  const promote = usePromoteCertificate();
  const restore = useRestoreCertificate();
  const inUse = cert.status === 'active';
  const canPromote =
    cert.previousVersion !== null &&
    cert.previousVersion.status !== 'superseded' &&
    cert.status !== 'superseded';
  const close = () => {
    setPending(null);
    del.reset();
    promote.reset();
    restore.reset();
  };
  // "the HTTPS certificate, the binding for a.example" — or null when nothing was in use.
  const moved = (a: { movedActive: boolean; movedBindings: string[] }): string | null =>
    [a.movedActive ? 'the HTTPS certificate' : null, ...a.movedBindings.map((h) => `the binding for ${h}`)]
      .filter(Boolean)
      .join(', ') || null;

  return (
    <Group gap="sm">
      {canWrite ? (
        <Button
          component={Link}
          to={cert.renewUrl}
          variant="light"
          leftSection={<IconRefresh size={16} />}
          data-testid="renew"
        >
          Renew
        </Button>
      ) : null}
      {cert.hasKey || !canWrite ? null : (
        <Button
          leftSection={<IconKey size={16} />}
          onClick={() => setAttachOpen(true)}
          data-testid="attach-key"
        >
          Attach private key
        </Button>
      )}
      <Button
        variant="light"
        leftSection={<IconDownload size={16} />}
        onClick={() => setExportOpen(true)}
        data-testid="export"
      >
        Export
      </Button>
      {canPromote && canWrite ? (
        <Button
          leftSection={<IconReplace size={16} />}
          onClick={() => setPending('promote')}
          data-testid="promote"
        >
          Replace previous version
        </Button>
      ) : null}
      {cert.status === 'superseded' && canWrite ? (
        <Button
          color="orange"
          leftSection={<IconArrowBackUp size={16} />}
          onClick={() => setPending('restore')}
          data-testid="restore"
        >
          Restore this version
        </Button>
      ) : null}
      {canWrite ? (
        <Button
          variant="subtle"
          leftSection={<IconPencil size={16} />}
          onClick={() => setRenameOpen(true)}
          data-testid="rename"
        >
          Rename
        </Button>
      ) : null}
      {canWrite ? (
        <Tooltip
          label="In use: switch the server or its bindings to another certificate first."
          disabled={!inUse}
        >
          <Button
            color="red"
            variant="subtle"
            leftSection={<IconTrash size={16} />}
            onClick={() => setPending('delete')}
            disabled={inUse}
            data-testid="delete"
          >
            Delete
          </Button>
        </Tooltip>
      ) : null}

      <ExportDialog cert={cert} opened={exportOpen} onClose={() => setExportOpen(false)} />
      <AttachKeyDialog cert={cert} opened={attachOpen} onClose={() => setAttachOpen(false)} />
      <RenameDialog cert={cert} opened={renameOpen} onClose={() => setRenameOpen(false)} />

      <ConfirmModal
        opened={pending === 'delete'}
        title="Delete this certificate?"
        confirmLabel="Delete"
        loading={del.isPending}
        error={del.error}
        onClose={close}
        onConfirm={() =>
          del.mutate(cert.id, {
            onSuccess: () => {
              notifications.show({
                color: 'teal',
                title: 'Deleted',
                message: `${cert.commonName ?? 'The certificate'} was deleted.`,
              });
              navigate('/certificates');
            },
          })
        }
      >
        <Text size="sm">
          {cert.commonName ?? cert.subject} (thumbprint {cert.thumbprintSha1.slice(0, 16)}…) and its private
          key will be removed from this server. A key that a CSR still holds is kept. This cannot be undone:
          export a PFX first if you may need it again.
        </Text>
      </ConfirmModal>

      <ConfirmModal
        opened={pending === 'promote'}
        title="Replace the previous version?"
        confirmLabel="Replace"
        danger={false}
        loading={promote.isPending}
        error={promote.error}
        onClose={close}
        onConfirm={() =>
          promote.mutate(cert.id, {
            onSuccess: (a) => {
              notifications.show({
                color: 'teal',
                title: 'Replaced',
                message: moved(a)
                  ? `Now serving this version for ${moved(a)}.`
                  : 'This version replaces the previous one. Nothing was in use, so nothing switched.',
              });
              close();
            },
          })
        }
      >
        <Text size="sm">
          Whatever uses #{cert.previousVersion?.id} ({cert.previousVersion?.commonName}) — the HTTPS
          certificate and any host-name bindings — switches to this certificate now, without dropping
          connections. The previous version is kept as superseded: you can restore it in one click.
        </Text>
      </ConfirmModal>

      <ConfirmModal
        opened={pending === 'restore'}
        title="Restore this version?"
        confirmLabel="Restore"
        danger={false}
        loading={restore.isPending}
        error={restore.error}
        onClose={close}
        onConfirm={() =>
          restore.mutate(cert.id, {
            onSuccess: (a) => {
              notifications.show({
                color: 'teal',
                title: 'Restored',
                message: moved(a)
                  ? `This version serves ${moved(a)} again.`
                  : 'This version is current again. Nothing was in use, so nothing switched back.',
              });
              close();
            },
          })
        }
      >
        <List size="sm">
          <List.Item>
            What #{cert.supersededBy?.id} ({cert.supersededBy?.commonName}) serves now goes back to this
            certificate.
          </List.Item>
          <List.Item>#{cert.supersededBy?.id} stays in the inventory; you can replace again later.</List.Item>
        </List>
      </ConfirmModal>
    </Group>
  );
}

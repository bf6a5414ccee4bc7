import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { ErrorAlert } from './error-alert.js';

interface ConfirmModalProps {
  opened: boolean;
  title: string;
  /** What will happen, in plain words (what breaks, whether it can be undone). */
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
  loading?: boolean;
  /** The failed attempt's error, shown inside the dialog so the user can retry or cancel. */
  error?: unknown;
  danger?: boolean;
}

/** "Are you sure?" for deletions and other changes that cannot be undone. */
export function ConfirmModal({
  opened,
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
  loading,
  error,
  danger = true,
}: ConfirmModalProps) {
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>{title}</Text>}>
      <Stack gap="md">
        <div>{children}</div>
        {error ? <ErrorAlert error={error} title="That did not work" /> : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color={danger ? 'red' : undefined} onClick={onConfirm} loading={loading}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

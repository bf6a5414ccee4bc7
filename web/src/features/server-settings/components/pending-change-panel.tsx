import type { ServerSettings } from '@certdesk/shared/types';
import { Alert, Anchor, Button, Group, List, Progress, Stack, Text } from '@mantine/core';
import { IconClockHour4 } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { ErrorAlert } from '../../../components/error-alert.js';
import { useCancelPendingChange } from '../api/cancel-pending-change.js';
import { useConfirmServerSettings } from '../api/confirm-server-settings.js';

const FIELD_LABELS: Record<string, string> = {
  httpsEnabled: 'HTTPS mode',
  httpPort: 'HTTP port',
  httpsPort: 'HTTPS port',
  activeCertificateId: 'certificate',
  serverNames: 'server names',
  redirectHttp: 'redirect HTTP to HTTPS',
};

export function describeChanges(changes: string[]): string {
  return changes.map((c) => FIELD_LABELS[c] ?? c).join(', ');
}

function useSecondsLeft(expiresAt: string): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(id);
  }, []);
  return Math.max(0, Math.ceil((Date.parse(expiresAt) - now) / 1000));
}

/** This page is served by the listener the pending change introduced: confirming from here proves it works. */
export function isOnNewAddress(settings: ServerSettings): boolean {
  const pending = settings.pendingChange;
  if (!pending) return false;
  const scheme = window.location.protocol.replace(':', '');
  const port = Number(window.location.port || (scheme === 'https' ? 443 : 80));
  const expected = pending.confirmOver === 'https' ? settings.listeners.https : settings.listeners.http;
  return scheme === pending.confirmOver && port === expected;
}

/** The lockout-safe switch: a countdown, the way to the new address, and the confirmation made from there. */
export function PendingChangePanel({ settings }: { settings: ServerSettings }) {
  const pending = settings.pendingChange!;
  const left = useSecondsLeft(pending.expiresAt);
  const confirm = useConfirmServerSettings();
  const cancel = useCancelPendingChange();
  const here = isOnNewAddress(settings);
  const total = settings.confirmSeconds;
  return (
    <Alert
      color="orange"
      variant="light"
      icon={<IconClockHour4 size={18} />}
      title="Waiting for your confirmation"
      data-testid="pending-change"
    >
      <Stack gap="sm">
        <Text size="sm">
          Changed: {describeChanges(pending.changes)}. The new settings are live, but they are only kept if
          you confirm them from the new address. Otherwise certdesk goes back to the previous settings by
          itself in <b data-testid="pending-countdown">{left} s</b>, so a certificate or port that does not
          work cannot lock you out.
        </Text>
        <Progress
          value={total > 0 ? (left / total) * 100 : 0}
          color="orange"
          size="sm"
          aria-label="Time left to confirm"
        />
        {here ? (
          <Group>
            <Button
              color="green"
              loading={confirm.isPending}
              onClick={() => confirm.mutate()}
              data-testid="confirm-here"
            >
              Confirm — this address works
            </Button>
          </Group>
        ) : (
          <Stack gap={4}>
            <Text size="sm">
              Open the new address; the page confirms the change once it loads there. If your browser warns
              about the certificate, the certificate is not trusted by this computer: cancel, or let the
              change revert.
            </Text>
            <Group>
              <Button component="a" href={pending.confirmUrl} data-testid="continue-on-new-address">
                Continue on {pending.confirmUrl.replace(/\/settings\?confirm=1$/, '')}
              </Button>
              <Button variant="default" loading={cancel.isPending} onClick={() => cancel.mutate()}>
                Cancel the change
              </Button>
            </Group>
          </Stack>
        )}
        <List size="xs" c="dimmed">
          <List.Item>Expires at {new Date(pending.expiresAt).toLocaleTimeString()}</List.Item>
          <List.Item>
            If everything fails, run{' '}
            <Anchor component="span" ff="monospace">
              npx certdesk reset-https
            </Anchor>{' '}
            on the server.
          </List.Item>
        </List>
        <ErrorAlert error={confirm.error ?? cancel.error} title="Not confirmed" />
      </Stack>
    </Alert>
  );
}

import { Alert, Badge, Group, Stack, Text } from '@mantine/core';
import { IconArrowBackUp, IconCircleCheck } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import { useSearchParams } from 'react-router-dom';
import { ErrorAlert } from '../../../components/error-alert.js';
import { PageHeader } from '../../../components/page-header.js';
import { PageLoader } from '../../../components/page-loader.js';
import { useConfirmServerSettings } from '../api/confirm-server-settings.js';
import { useServerSettings } from '../api/get-server-settings.js';
import { BindingsSection } from './bindings-section.js';
import { describeChanges, isOnNewAddress, PendingChangePanel } from './pending-change-panel.js';
import { ProbeResults } from './probe-results.js';
import { SecuritySection } from './security-section.js';
import { SettingsForm } from './settings-form.js';

/** Server Settings: HTTPS mode with a lockout-safe switch, what clients see, and SNI bindings. */
export function ServerSettingsPage() {
  const settings = useServerSettings();
  const confirm = useConfirmServerSettings();
  const [params, setParams] = useSearchParams();
  const tried = useRef(false);

  // Opened from "Continue on https://…" (?confirm=1): confirm from here, where the new listener served this page.
  useEffect(() => {
    const s = settings.data;
    if (!s || tried.current || params.get('confirm') !== '1') return;
    tried.current = true;
    const next = new URLSearchParams(params);
    next.delete('confirm');
    setParams(next, { replace: true });
    if (s.pendingChange && isOnNewAddress(s)) confirm.mutate();
  }, [settings.data, params, setParams, confirm]);

  if (settings.isLoading)
    return (
      <>
        <PageHeader title="Server Settings" />
        <PageLoader label="Loading server settings…" />
      </>
    );
  if (!settings.data)
    return (
      <>
        <PageHeader title="Server Settings" />
        <ErrorAlert error={settings.error} title="Server settings could not be loaded" />
      </>
    );
  const s = settings.data;
  const mode = s.httpsEnabled ? (s.httpsConfirmed ? 'HTTPS (confirmed)' : 'HTTPS') : 'HTTP only';

  return (
    <Stack gap="lg">
      <PageHeader
        title="Server Settings"
        description="How this console serves itself: HTTP until HTTPS mode is switched on with a certificate, then HTTPS with the full chain."
        actions={
          <Group gap="xs">
            <Badge color={s.httpsEnabled ? 'green' : 'gray'} size="lg" data-testid="mode-badge">
              {mode}
            </Badge>
            <Text size="sm" c="dimmed">
              listening: http {s.listeners.http ?? '—'} · https {s.listeners.https ?? '—'}
            </Text>
          </Group>
        }
      />
      {confirm.isSuccess ? (
        <Alert color="green" icon={<IconCircleCheck size={18} />} title="Confirmed" data-testid="confirmed">
          The change is confirmed from {window.location.origin} and kept.{' '}
          {s.httpsEnabled ? 'Browsers will now be sent to HTTPS.' : ''}
        </Alert>
      ) : null}
      <ErrorAlert error={confirm.error} title="The change could not be confirmed from here" />
      {s.pendingChange ? <PendingChangePanel settings={s} /> : null}
      {s.lastRevert && !s.pendingChange ? (
        <Alert
          color="yellow"
          icon={<IconArrowBackUp size={18} />}
          title="The last change was undone"
          data-testid="last-revert"
        >
          <Text size="sm">{s.lastRevert.reason}</Text>
          <Text size="xs" c="dimmed" mt={4}>
            {new Date(s.lastRevert.at).toLocaleString()} — undone: {describeChanges(s.lastRevert.changes)}.
            The console serves the last confirmed settings. Check that the certificate is trusted by your
            browser and that the port is reachable, then try again.
          </Text>
        </Alert>
      ) : null}
      <SettingsForm settings={s} />
      <ProbeResults probe={s.lastProbe} httpsRunning={s.listeners.https !== null} />
      <BindingsSection />
      <SecuritySection />
    </Stack>
  );
}

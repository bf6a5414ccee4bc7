import { Alert, Badge, Group, Stack, Text } from '@mantine/core';
import { IconArrowBackUp, IconCircleCheck } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import { useSearchParams } from 'react-router-dom';
import { ErrorAlert } from '../../../components/error-alert.js';
import { PageHeader } from '../../../components/page-header.js';
import { PageLoader } from '../../../components/page-loader.js';
import { useCan } from '../../../lib/permissions.js';
import { useConfirmServerSettings } from '../api/confirm-server-settings.js';
import { useServerSettings } from '../api/get-server-settings.js';
import { BindingsSection } from './bindings-section.js';
import { describeChanges, isOnNewAddress, PendingChangePanel } from './pending-change-panel.js';
import { ProbeResults } from './probe-results.js';
import { SecuritySection } from './security-section.js';
import { SettingsForm } from './settings-form.js';
/** Server Settings: HTTPS mode with a lockout-safe switch, what clients see, and SNI bindings. */
export function ServerSettingsPage() {
  const canWrite = useCan('settings:write');
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
  // While a switch waits, the badge says where it is going, not only what is committed.
  const pendingHttps = s.pendingChange?.settings.httpsEnabled;
  const mode =
    pendingHttps !== undefined
      ? `${pendingHttps ? 'HTTPS' : 'HTTP only'} — waiting for confirmation`
      : s.httpsEnabled
        ? s.httpsConfirmed
          ? 'HTTPS (confirmed)'
          : 'HTTPS'
        : 'HTTP only';
  const modeColor = pendingHttps !== undefined ? 'orange' : s.httpsEnabled ? 'green' : 'gray';

  return (
    <Stack gap="lg">
      <PageHeader
        title="Server Settings"
        description="How this console serves itself: HTTP until HTTPS mode is switched on with a certificate, then HTTPS with the full chain."
        actions={
          <Group gap="xs">
            <Badge color={modeColor} size="lg" data-testid="mode-badge" style={{ minWidth: 'max-content' }}>
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
            browser and that the port is reachable, then try again: the form below still holds the change.
          </Text>
        </Alert>
      ) : null}
      {canWrite ? null : (
        <Alert color="gray" variant="light" title="Read only" data-testid="settings-read-only">
          Your role can read the server settings but not change them.
        </Alert>
      )}
      {/* A disabled fieldset turns off every input and button inside for read-only roles. */}
      <fieldset disabled={!canWrite} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
        <Stack gap="lg">
          <SettingsForm settings={s} />
          <ProbeResults probe={s.lastProbe} httpsRunning={s.listeners.https !== null} />
          <BindingsSection />
          <SecuritySection />
        </Stack>
      </fieldset>
    </Stack>
  );
}

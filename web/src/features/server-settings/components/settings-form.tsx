import type { ServerSettings, ServerSettingsUpdate } from '@certdesk/shared/types';
import {
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  Switch,
  TagsInput,
  Text,
  Title,
} from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { ErrorAlert } from '../../../components/error-alert.js';
import { useCertificateOptions } from '../api/get-certificate-options.js';
import { useUpdateServerSettings } from '../api/update-server-settings.js';
import { certificateChoices } from './certificate-choices.js';

interface FormValues {
  httpsEnabled: boolean;
  httpPort: number | string;
  httpsPort: number | string;
  activeCertificateId: string | null;
  serverNames: string[];
  redirectHttp: boolean;
}

function valuesOf(s: ServerSettings): FormValues {
  return {
    httpsEnabled: s.httpsEnabled,
    httpPort: s.httpPort,
    httpsPort: s.httpsPort,
    activeCertificateId: s.activeCertificateId === null ? null : String(s.activeCertificateId),
    serverNames: s.serverNames,
    redirectHttp: s.redirectHttp,
  };
}

/** A port the environment sets wins over these settings (README "Ports: one rule"). */
const ENV_NOTE = (variable: string) => `Set by the environment (${variable}): change it there and restart.`;

/** HTTP/HTTPS ports, HTTPS on/off, the certificate, the names clients use, and the redirect. */
export function SettingsForm({ settings }: { settings: ServerSettings }) {
  const update = useUpdateServerSettings();
  const certificates = useCertificateOptions();
  // While a change waits for confirmation the (locked) form shows it; otherwise the committed settings.
  const shown = valuesOf(
    settings.pendingChange ? { ...settings, ...settings.pendingChange.settings } : settings,
  );
  // After a revert the form offers the change that was undone (not the blank committed settings), to
  // fix and save again; the ports the environment sets stay as they are.
  const undone = !settings.pendingChange ? settings.lastRevert?.settings : undefined;
  const offered = undone
    ? valuesOf({
        ...settings,
        ...undone,
        httpPort: settings.portsSetByEnvironment.httpPort ? settings.httpPort : undone.httpPort,
        httpsPort: settings.portsSetByEnvironment.httpsPort ? settings.httpsPort : undone.httpsPort,
      })
    : shown;
  const [values, setValues] = useState<FormValues>(offered);
  const locked = settings.pendingChange !== null;
  const shownKey = JSON.stringify(shown);
  const dirty = JSON.stringify(values) !== shownKey;
  const fromEnv = settings.portsSetByEnvironment;
  const set = <K extends keyof FormValues>(key: K, value: FormValues[K]) =>
    setValues((v) => ({ ...v, [key]: value }));

  const offeredKey = JSON.stringify(offered);
  // Follow the server after a save, a confirmation or a revert.
  useEffect(() => {
    setValues(JSON.parse(offeredKey) as FormValues);
  }, [offeredKey]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body: ServerSettingsUpdate = {
      httpsEnabled: values.httpsEnabled,
      // A port the environment sets is not the form's to send.
      ...(fromEnv.httpPort ? {} : { httpPort: Number(values.httpPort) }),
      ...(fromEnv.httpsPort ? {} : { httpsPort: Number(values.httpsPort) }),
      activeCertificateId: values.activeCertificateId ? Number(values.activeCertificateId) : null,
      serverNames: values.serverNames,
      redirectHttp: values.redirectHttp,
    };
    update.mutate(body);
  };

  return (
    <Paper withBorder p="md" radius="md">
      <form onSubmit={submit} aria-label="Server settings">
        <Stack gap="md">
          <Title order={2} size="h4">
            Settings
          </Title>
          <Switch
            label="HTTPS mode"
            description="Serve the console over HTTPS with the certificate below (TLS 1.2+, Mozilla intermediate)."
            checked={values.httpsEnabled}
            onChange={(e) => set('httpsEnabled', e.currentTarget.checked)}
            disabled={locked}
            data-testid="https-enabled"
          />
          <Select
            label="Certificate"
            description="The default certificate on the HTTPS port. Only certificates with their private key and still valid can be served."
            placeholder={certificates.isLoading ? 'Loading certificates…' : 'Choose a certificate'}
            data={certificateChoices(certificates.data?.items)}
            searchable
            clearable
            allowDeselect={false}
            nothingFoundMessage="No certificate: import one first"
            value={values.activeCertificateId}
            onChange={(v) => set('activeCertificateId', v)}
            disabled={locked}
            data-testid="certificate-select"
          />
          <TagsInput
            label="Server names"
            description="The host names (or NAT address) clients type to reach this server. The certificate must cover at least one."
            placeholder="console.example.com — press Enter"
            value={values.serverNames}
            onChange={(v) => set('serverNames', v)}
            disabled={locked}
            data-testid="server-names"
          />
          <Group grow align="flex-start">
            <NumberInput
              label="HTTP port"
              description={fromEnv.httpPort ? ENV_NOTE('CERTDESK_HTTP_PORT') : undefined}
              min={1}
              max={65535}
              value={values.httpPort}
              onChange={(v) => set('httpPort', v)}
              readOnly={fromEnv.httpPort}
              variant={fromEnv.httpPort ? 'filled' : 'default'}
              hideControls={fromEnv.httpPort}
              disabled={locked}
              data-testid="http-port"
            />
            <NumberInput
              label="HTTPS port"
              description={fromEnv.httpsPort ? ENV_NOTE('CERTDESK_HTTPS_PORT') : undefined}
              min={1}
              max={65535}
              value={values.httpsPort}
              onChange={(v) => set('httpsPort', v)}
              readOnly={fromEnv.httpsPort}
              variant={fromEnv.httpsPort ? 'filled' : 'default'}
              hideControls={fromEnv.httpsPort}
              disabled={locked}
              data-testid="https-port"
            />
          </Group>
          <Switch
            label="Redirect HTTP to HTTPS"
            description="Once HTTPS is confirmed, HTTP answers with a redirect (except /api/health)."
            checked={values.redirectHttp}
            onChange={(e) => set('redirectHttp', e.currentTarget.checked)}
            disabled={locked}
          />
          {update.data && !update.data.pendingChange && !locked && !dirty ? (
            <Text size="sm" c="green" data-testid="settings-saved">
              Saved and applied.
            </Text>
          ) : null}
          <ErrorAlert error={update.error} title="The settings were not changed" />
          {undone && dirty ? (
            <Text size="sm" c="dimmed" data-testid="undone-change-offered">
              The form holds the change that was undone. Save to try it again, or discard it.
            </Text>
          ) : null}
          <Group>
            <Button
              type="submit"
              loading={update.isPending}
              disabled={locked || !dirty}
              data-testid="save-settings"
            >
              Save
            </Button>
            {dirty && !locked ? (
              <Button variant="default" onClick={() => setValues(JSON.parse(shownKey) as FormValues)}>
                Discard changes
              </Button>
            ) : null}
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

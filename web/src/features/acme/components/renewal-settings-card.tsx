import { Button, Group, NumberInput, Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { ErrorAlert } from '../../../components/error-alert.js';
import { useRenewalSettings, useUpdateRenewalSettings } from '../api/renewal-settings.js';

/** Automatic renewal of ACME certificates (GET|PUT /api/settings/renewal). */
export function RenewalSettingsCard() {
  const settings = useRenewalSettings();
  const update = useUpdateRenewalSettings();
  const [autoRenew, setAutoRenew] = useState(true);
  const [percent, setPercent] = useState<number>(33);
  const [useAri, setUseAri] = useState(true);
  useEffect(() => {
    if (!settings.data) return;
    setAutoRenew(settings.data.autoRenew);
    setPercent(settings.data.renewBeforePercent);
    setUseAri(settings.data.useAri);
  }, [settings.data]);
  return (
    <Paper withBorder radius="md" p="md">
      <Stack gap="sm">
        <Title order={2} size="h4">
          Automatic renewal
        </Title>
        <ErrorAlert error={settings.error ?? update.error} title="Renewal settings" />
        <Switch
          label="Renew ACME certificates by themselves"
          checked={autoRenew}
          onChange={(e) => setAutoRenew(e.currentTarget.checked)}
        />
        <Switch
          label="Use the CA's renewal window (ARI, RFC 9773) when it offers one"
          checked={useAri}
          onChange={(e) => setUseAri(e.currentTarget.checked)}
        />
        <NumberInput
          label="Without ARI, renew when this share of the lifetime is left (%)"
          min={1}
          max={90}
          value={percent}
          onChange={(v) => setPercent(Number(v) || 33)}
          w={360}
        />
        <Text size="sm" c="dimmed">
          A 47-day certificate at 33% renews about 15 days before it expires. Failed renewals are retried with
          growing pauses.
        </Text>
        <Group>
          <Button
            loading={update.isPending}
            onClick={() => update.mutate({ autoRenew, renewBeforePercent: percent, useAri })}
          >
            Save
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

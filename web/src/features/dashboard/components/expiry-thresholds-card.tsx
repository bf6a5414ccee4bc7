import { Button, Group, Paper, Stack, TagsInput, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ErrorAlert } from '../../../components/error-alert.js';
import { expirySettingsQueryOptions } from '../../../lib/expiry-thresholds.js';
/** Warning thresholds in days: when a certificate starts to show as "expiring". */
import { useCan } from '../../../lib/permissions.js';
import { useUpdateExpirySettings } from '../api/update-expiry-settings.js';

export function ExpiryThresholdsCard() {
  const settings = useQuery(expirySettingsQueryOptions());
  const update = useUpdateExpirySettings();
  const canWrite = useCan('settings:write');
  const [values, setValues] = useState<string[]>([]);
  useEffect(() => {
    if (settings.data) setValues(settings.data.thresholds.map(String));
  }, [settings.data]);

  const numbers = values.map((v) => Number(v.trim()));
  const invalid = values.length === 0 || numbers.some((n) => !Number.isInteger(n) || n < 1 || n > 3650);
  const changed = settings.data && numbers.join(',') !== settings.data.thresholds.join(',');

  return (
    <Paper withBorder radius="md" p="md">
      <Stack gap="xs">
        <Text fw={600}>Warning thresholds</Text>
        <Text size="sm" c="dimmed">
          Certificates show as expiring when fewer days than the largest threshold remain; colours tighten at
          each smaller one.
        </Text>
        <Group align="flex-end" gap="sm">
          <TagsInput
            label="Days before expiry"
            value={values}
            onChange={setValues}
            placeholder="Type a number, press Enter"
            error={invalid ? 'Use whole numbers from 1 to 3650 (at least one).' : undefined}
            maxTags={10}
            disabled={!canWrite}
            style={{ flex: 1 }}
            data-testid="thresholds-input"
          />
          <Button
            disabled={!canWrite || invalid || !changed}
            loading={update.isPending}
            onClick={() =>
              update.mutate(
                { thresholds: numbers },
                {
                  onSuccess: (d) =>
                    notifications.show({
                      color: 'teal',
                      title: 'Saved',
                      message: `Warnings at ${d.thresholds.join(', ')} days.`,
                    }),
                },
              )
            }
          >
            Save
          </Button>
        </Group>
        {update.error ? <ErrorAlert error={update.error} title="Not saved" /> : null}
      </Stack>
    </Paper>
  );
}

import type { ReminderThreshold } from '@certdesk/shared/types';
import { ActionIcon, Button, Group, NumberInput, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { ErrorAlert } from '../../../components/error-alert.js';
import { useReminderSettings } from '../api/get-reminder-settings.js';
import { useUpdateReminderSettings } from '../api/update-reminder-settings.js';

interface Row {
  key: number;
  percent: number | string;
  days: number | string;
}
let nextKey = 1;

const LIFETIMES = [47, 100, 200, 397];

/** Days before expiry a threshold is crossed for a certificate of this lifetime (both given: the later). */
function leadDays(t: ReminderThreshold, lifetimeDays: number): number {
  const byPercent = t.percent === undefined ? Number.POSITIVE_INFINITY : (lifetimeDays * t.percent) / 100;
  const byDays = t.days === undefined ? Number.POSITIVE_INFINITY : t.days;
  return Math.min(byPercent, byDays);
}

const toThreshold = (r: Row): ReminderThreshold => ({
  ...(r.percent !== '' ? { percent: Number(r.percent) } : {}),
  ...(r.days !== '' ? { days: Number(r.days) } : {}),
});

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/**
 * Reminders for certificates renewed by hand: each threshold a share of the lifetime, a number of days,
 * or both (then the later of the two), with what that means for 47- to 397-day certificates.
 */
export function ReminderThresholdsCard() {
  const settings = useReminderSettings();
  const update = useUpdateReminderSettings();
  const [rows, setRows] = useState<Row[]>([]);
  useEffect(() => {
    if (settings.data)
      setRows(
        settings.data.thresholds.map((t) => ({
          key: nextKey++,
          percent: t.percent ?? '',
          days: t.days ?? '',
        })),
      );
  }, [settings.data]);
  const thresholds = rows.map(toThreshold);
  const incomplete = rows.some((r) => r.percent === '' && r.days === '');
  const setRow = (i: number, patch: Partial<Row>) =>
    setRows((all) => all.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  return (
    <Paper withBorder radius="md" p="md" data-testid="reminder-settings">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          Reminder thresholds
        </Title>
        <Button
          size="xs"
          variant="light"
          leftSection={<IconPlus size={14} />}
          disabled={rows.length >= 10}
          onClick={() => setRows((r) => [...r, { key: nextKey++, percent: '', days: '' }])}
        >
          Add threshold
        </Button>
      </Group>
      <Text size="sm" c="dimmed" mb="sm">
        For certificates renewed by hand (ACME certificates renew by themselves). A threshold is a share of
        the lifetime left, a number of days left, or both — then it is reached when both are, so one list fits
        47-day and 397-day certificates. Each threshold is notified once per certificate.
      </Text>
      <Stack gap="xs">
        {rows.map((r, i) => (
          <Group key={r.key} align="flex-end" gap="xs">
            <NumberInput
              label={`Threshold ${i + 1}: % of lifetime left`}
              value={r.percent}
              onChange={(v) => setRow(i, { percent: v })}
              min={0.1}
              max={100}
              decimalScale={1}
              w={230}
            />
            <NumberInput
              label="and/or days left"
              value={r.days}
              onChange={(v) => setRow(i, { days: v })}
              min={1}
              max={3650}
              allowDecimal={false}
              w={150}
            />
            <ActionIcon
              variant="subtle"
              color="red"
              size="lg"
              mb={2}
              aria-label={`Remove threshold ${i + 1}`}
              disabled={rows.length === 1}
              onClick={() => setRows((all) => all.filter((_, j) => j !== i))}
            >
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
        ))}
      </Stack>
      {!incomplete && rows.length > 0 ? (
        <Table mt="sm" withTableBorder fz="sm" data-testid="reminder-preview">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Certificate lifetime</Table.Th>
              <Table.Th>Reminded (days before expiry)</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {LIFETIMES.map((l) => (
              <Table.Tr key={l}>
                <Table.Td>{l} days</Table.Td>
                <Table.Td>
                  {thresholds
                    .map((t) => leadDays(t, l))
                    .sort((a, b) => b - a)
                    .map(fmt)
                    .join(' · ')}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      {update.error ? <ErrorAlert error={update.error} title="Not saved" /> : null}
      <Group mt="sm">
        <Button
          disabled={incomplete || rows.length === 0}
          loading={update.isPending}
          onClick={() =>
            update.mutate(
              { thresholds },
              {
                onSuccess: () =>
                  notifications.show({
                    color: 'teal',
                    title: 'Saved',
                    message: 'Reminder thresholds saved.',
                  }),
              },
            )
          }
        >
          Save thresholds
        </Button>
      </Group>
    </Paper>
  );
}

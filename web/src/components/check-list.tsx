import type { ReportCheck } from '@certdesk/shared/types';
import { Badge, Group, List, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconCircleX } from '@tabler/icons-react';

const LOOK = {
  pass: { color: 'teal', icon: IconCircleCheck, label: 'Pass' },
  warn: { color: 'orange', icon: IconAlertTriangle, label: 'Warning' },
  fail: { color: 'red', icon: IconCircleX, label: 'Fail' },
} as const;

/** A pre-flight / validation report: one line per check, failures first so they are not missed. */
export function CheckList({ checks }: { checks: ReportCheck[] }) {
  const order = { fail: 0, warn: 1, pass: 2 } as const;
  const sorted = [...checks].sort((a, b) => order[a.status] - order[b.status]);
  return (
    <List spacing="sm" listStyleType="none" data-testid="check-list">
      {sorted.map((check) => {
        const look = LOOK[check.status];
        return (
          <List.Item
            key={check.id}
            data-check={check.id}
            data-status={check.status}
            icon={
              <ThemeIcon color={look.color} variant="light" size={24} radius="xl">
                <look.icon size={16} />
              </ThemeIcon>
            }
          >
            <Stack gap={2}>
              <Group gap="xs">
                <Text size="sm" fw={600}>
                  {check.title}
                </Text>
                <Badge size="xs" variant="light" color={look.color}>
                  {look.label}
                </Badge>
                {check.status === 'fail' && check.blocks ? (
                  <Badge size="xs" variant="filled" color="red">
                    Blocks import
                  </Badge>
                ) : null}
              </Group>
              <Text size="sm" c="dimmed">
                {check.message}
              </Text>
            </Stack>
          </List.Item>
        );
      })}
    </List>
  );
}

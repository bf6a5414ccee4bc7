import { Code, Group, Text } from '@mantine/core';

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** `details` as key: value pairs; the server never puts secrets there, so all of it can be shown. */
export function AuditDetails({ details }: { details: Record<string, unknown> | null }) {
  const entries = details ? Object.entries(details) : [];
  if (entries.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  }
  return (
    <Group gap={4} wrap="wrap">
      {entries.map(([key, value]) => (
        <Code key={key} style={{ whiteSpace: 'normal', wordBreak: 'break-word' }}>
          {key}: {show(value)}
        </Code>
      ))}
    </Group>
  );
}

import { Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useImportPolicy } from '../api/get-import-policy.js';

/** The import policy, visible before anything is checked: which checks refuse an import, which only warn. */
export function ImportPolicyCard() {
  const policy = useImportPolicy();
  if (!policy.data) return null;
  return (
    <Card withBorder data-testid="import-policy">
      <Title order={2} size="h5" mb="xs">
        Import policy
      </Title>
      <Stack gap={6}>
        {policy.data.checks.map((c) => (
          <Group key={c.id} gap="xs" wrap="nowrap" align="flex-start">
            <Badge
              size="xs"
              variant={c.blocks ? 'filled' : 'light'}
              color={c.blocks ? 'red' : 'orange'}
              w={64}
              style={{ flexShrink: 0 }}
            >
              {c.blocks ? 'Blocks' : 'Warns'}
            </Badge>
            <Text size="xs">
              <b>{c.title}.</b> {c.description}
            </Text>
          </Group>
        ))}
      </Stack>
    </Card>
  );
}

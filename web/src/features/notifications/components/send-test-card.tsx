import { Button, Group, List, Paper, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCheck, IconSend, IconX } from '@tabler/icons-react';
import { ErrorAlert } from '../../../components/error-alert.js';
import { useSendTestNotification } from '../api/send-test-notification.js';

/** Sends a test to every saved channel and shows each one's outcome. */
export function SendTestCard() {
  const test = useSendTestNotification();
  return (
    <Paper withBorder radius="md" p="md" data-testid="send-test">
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          Test
        </Title>
        <Button
          leftSection={<IconSend size={16} />}
          variant="light"
          loading={test.isPending}
          onClick={() => test.mutate()}
        >
          Send test
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        Sends a test message to every saved channel now. Save your changes first.
      </Text>
      {test.error ? <ErrorAlert error={test.error} title="No test sent" /> : null}
      {test.data ? (
        <List spacing={6} mt="sm" center aria-label="Test results" data-testid="test-results">
          {test.data.results.map((r) => (
            <List.Item
              key={r.channel}
              icon={
                <ThemeIcon color={r.ok ? 'teal' : 'red'} size={22} radius="xl">
                  {r.ok ? <IconCheck size={14} /> : <IconX size={14} />}
                </ThemeIcon>
              }
            >
              <Text size="sm" span fw={600}>
                {r.channel}
              </Text>
              <Text size="sm" span>
                {' '}
                — {r.ok ? 'sent' : 'failed'}: {r.message}
              </Text>
            </List.Item>
          ))}
        </List>
      ) : null}
    </Paper>
  );
}

import { Alert, Button, Code, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconDownload } from '@tabler/icons-react';
import { CopyButton } from '../../../components/copy-button.js';
import { saveBlob } from '../../../lib/api-client.js';

/** The only moment the recovery codes are visible: the server keeps just their hashes. */
export function RecoveryCodesPanel({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const text = `certdesk recovery codes (${window.location.host})\nEach code signs in once in place of an authenticator code.\n\n${codes.join('\n')}\n`;
  return (
    <Paper withBorder p="lg" radius="md">
      <Stack gap="md">
        <Title order={2} size="h4">
          Your recovery codes
        </Title>
        <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} title="Save them now">
          This is the only time they are shown. If you lose your phone, each code signs you in once instead of
          a code from the app. Keep them somewhere safe, apart from your password.
        </Alert>
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs" data-testid="recovery-codes">
          {codes.map((code) => (
            <Code key={code} fz="md" ta="center" py={6}>
              {code}
            </Code>
          ))}
        </SimpleGrid>
        <Group justify="space-between">
          <Group gap="xs">
            <CopyButton value={codes.join('\n')} label="Copy all" />
            <Button
              variant="light"
              size="xs"
              leftSection={<IconDownload size={14} />}
              onClick={() =>
                saveBlob(new Blob([text], { type: 'text/plain' }), 'certdesk-recovery-codes.txt')
              }
            >
              Download .txt
            </Button>
          </Group>
          <Button onClick={onDone}>I have saved them</Button>
        </Group>
        <Text size="xs" c="dimmed">
          Need new ones later? “New recovery codes” below replaces them all.
        </Text>
      </Stack>
    </Paper>
  );
}

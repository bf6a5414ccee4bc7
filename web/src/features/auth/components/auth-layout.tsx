import { Center, Group, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { usePageTitle } from '../../../lib/page-title.js';

/** The centred card the sign-in and first-run pages share, outside the console shell. */
export function AuthLayout({
  title,
  subtitle,
  children,
}: {
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
}) {
  usePageTitle(title);
  return (
    <Center component="main" mih="100vh" p="md" bg="var(--mantine-color-gray-0)">
      <Stack w="100%" maw={420} gap="lg">
        <Group gap={10} justify="center">
          <ThemeIcon size={36} radius="md">
            <IconLock size={22} />
          </ThemeIcon>
          <Text fw={700} size="xl">
            certdesk
          </Text>
        </Group>
        <Paper withBorder shadow="sm" radius="md" p="xl">
          <Title order={1} size="h3" mb={subtitle ? 4 : 'md'}>
            {title}
          </Title>
          {subtitle ? (
            <Text c="dimmed" size="sm" mb="md">
              {subtitle}
            </Text>
          ) : null}
          {children}
        </Paper>
      </Stack>
    </Center>
  );
}

import { Box, Code, Group, Paper, Text } from '@mantine/core';
import { CopyButton } from './copy-button.js';

interface PemBlockProps {
  /** PEM text (or any monospace secret-free text such as a token). */
  value: string;
  label?: string;
  /** Caps the height; the block scrolls beyond it. */
  maxHeight?: number;
  testId?: string;
}

/** A read-only monospace block with a copy button, for CSRs, certificates and one-time tokens. */
export function PemBlock({ value, label, maxHeight = 320, testId }: PemBlockProps) {
  return (
    <Paper withBorder radius="sm" data-testid={testId}>
      <Group
        justify="space-between"
        px="sm"
        py={6}
        bg="var(--mantine-color-gray-0)"
        style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}
      >
        <Text size="xs" fw={600} c="dimmed">
          {label ?? 'PEM'}
        </Text>
        <CopyButton value={value} label="Copy" />
      </Group>
      <Box style={{ maxHeight, overflow: 'auto' }}>
        <Code block style={{ background: 'transparent', whiteSpace: 'pre', wordBreak: 'normal' }}>
          {value}
        </Code>
      </Box>
    </Paper>
  );
}

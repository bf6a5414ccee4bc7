import { Alert, Code, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { ApiError } from '../lib/api-client.js';

interface ErrorAlertProps {
  error: unknown;
  title?: string;
  /** Extra content under the message (a retry button, a hint). */
  children?: ReactNode;
  onClose?: () => void;
}

/** Shows what the server said: its sentence, and its code for a support ticket or a search. */
export function ErrorAlert({ error, title = 'Something went wrong', children, onClose }: ErrorAlertProps) {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof ApiError ? error.code : null;
  return (
    <Alert
      color="red"
      variant="light"
      title={title}
      icon={<IconAlertTriangle size={18} />}
      withCloseButton={!!onClose}
      onClose={onClose}
      data-testid="error-alert"
      role="alert"
    >
      <Text size="sm">{message}</Text>
      {code ? (
        <Text size="xs" c="dimmed" mt={4}>
          Error code <Code>{code}</Code>
        </Text>
      ) : null}
      {children}
    </Alert>
  );
}

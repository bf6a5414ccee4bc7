import { ERROR_CODES } from '@certdesk/shared/errors';
import { Alert, Anchor, Code, Text } from '@mantine/core';
import { IconCopy, IconLock } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../../../components/error-alert.js';
import { isApiError } from '../../../lib/api-client.js';

/** The password of a .pfx or an encrypted key is wrong or missing: the files themselves are fine. */
export function isPasswordError(error: unknown): boolean {
  return (
    isApiError(error, ERROR_CODES.WRONG_PASSWORD) || isApiError(error, ERROR_CODES.KEY_PASSPHRASE_REQUIRED)
  );
}

/**
 * Why an import did not go through, told apart: the certificate is already stored (with a link to it),
 * the password is wrong, or the files could not be read. Each has its own heading: a person reading
 * "could not be read" for a duplicate goes looking for a damaged file that does not exist.
 */
export function ImportError({ error }: { error: unknown }) {
  if (isApiError(error, ERROR_CODES.CERTIFICATE_EXISTS)) {
    const id = typeof error.body.existingId === 'number' ? error.body.existingId : null;
    const name = typeof error.body.existingName === 'string' ? error.body.existingName : null;
    return (
      <Alert
        color="blue"
        variant="light"
        title="Already in the inventory"
        icon={<IconCopy size={18} />}
        role="alert"
        data-testid="import-exists"
      >
        <Text size="sm">
          This certificate is already stored{id !== null ? ` as #${id}` : ''}
          {name ? ` (${name})` : ''}; importing it again would change nothing.{' '}
          {id !== null ? (
            <Anchor component={Link} to={`/certificates/${id}`} data-testid="import-exists-link">
              Open the stored certificate
            </Anchor>
          ) : null}
        </Text>
      </Alert>
    );
  }
  if (isPasswordError(error)) {
    const required = isApiError(error, ERROR_CODES.KEY_PASSPHRASE_REQUIRED);
    return (
      <Alert
        color="orange"
        variant="light"
        title={required ? 'A password is needed' : 'The password is wrong'}
        icon={<IconLock size={18} />}
        role="alert"
        data-testid="import-password-error"
      >
        <Text size="sm">{error instanceof Error ? error.message : ''}</Text>
        <Text size="sm" mt={4}>
          The files are fine: enter the password they were exported with in the Password field and check
          again.
        </Text>
        <Text size="xs" c="dimmed" mt={4}>
          Error code <Code>{isApiError(error) ? error.code : ''}</Code>
        </Text>
      </Alert>
    );
  }
  return <ErrorAlert error={error} title="The files could not be read" />;
}

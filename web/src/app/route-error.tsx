import { Button, Container } from '@mantine/core';
import { useRouteError } from 'react-router-dom';
import { ErrorAlert } from '../components/error-alert.js';

/**
 * A page that could not be loaded or threw while rendering. The usual cause is a page chunk that is gone
 * because certdesk was upgraded while this tab stayed open: a reload fetches the new files.
 */
export function RouteError() {
  const error = useRouteError();
  return (
    <Container size="sm" py="xl">
      <ErrorAlert error={error} title="This page could not be shown">
        <Button mt="sm" size="xs" variant="light" onClick={() => window.location.reload()}>
          Reload the page
        </Button>
      </ErrorAlert>
    </Container>
  );
}

import { Button } from '@mantine/core';
import { Link, useLocation } from 'react-router-dom';
import { EmptyState } from '../components/empty-state.js';
import { PageHeader } from '../components/page-header.js';

export function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <>
      <PageHeader title="Page not found" />
      <EmptyState
        title={`There is no page at ${pathname}`}
        description="The link may be out of date. Use the navigation on the left, or go back to the dashboard."
        action={
          <Button component={Link} to="/" variant="light">
            Go to the dashboard
          </Button>
        }
      />
    </>
  );
}

import { Alert, Text } from '@mantine/core';
import { IconTools } from '@tabler/icons-react';
import { PageHeader } from './page-header.js';

/** Stand-in for a page another issue delivers, so the navigation is complete from day one. */
export function PlaceholderPage({ title, issue }: { title: string; issue: string }) {
  return (
    <>
      <PageHeader title={title} />
      <Alert variant="light" color="gray" icon={<IconTools size={18} />} title="Not built yet">
        <Text size="sm">This page arrives with the {issue} issue.</Text>
      </Alert>
    </>
  );
}

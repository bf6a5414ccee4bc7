import { csrNameWarnings } from '@certdesk/shared/rules';
import { Alert, List } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { CsrFormValues } from '../lib/csr-form.js';

/**
 * Names that are valid but that public CAs refuse (single-label names, localhost): allowed, because
 * internal CAs issue them, and said before the CSR goes to a CA that would turn it down.
 */
export function CsrNameWarnings({
  values,
}: {
  values: Pick<CsrFormValues, 'commonName' | 'subjectAltNames'>;
}) {
  const warnings = csrNameWarnings(values.commonName, values.subjectAltNames);
  if (warnings.length === 0) return null;
  return (
    <Alert
      color="yellow"
      variant="light"
      icon={<IconAlertTriangle size={18} />}
      title="For an internal CA only"
      data-testid="csr-name-warnings"
    >
      <List size="sm" spacing={4}>
        {warnings.map((w) => (
          <List.Item key={w}>{w}</List.Item>
        ))}
      </List>
    </Alert>
  );
}

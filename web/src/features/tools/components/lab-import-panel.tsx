import { ERROR_CODES } from '@certdesk/shared/errors';
import type { TestCertificate } from '@certdesk/shared/types';
import { Alert, Anchor, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { ErrorAlert } from '../../../components/error-alert.js';
import { isApiError } from '../../../lib/api-client.js';
import { useAddTestRoot } from '../api/add-test-root.js';
import { useImportTestCertificate } from '../api/import-test-certificate.js';

/** Step by step: add the test root as a trust anchor, then import the PFX through the ordinary import. */
export function LabImportPanel({
  result,
  pfxPassword,
  commonName,
}: {
  result: TestCertificate;
  pfxPassword: string;
  commonName: string;
}) {
  const addRoot = useAddTestRoot();
  const importCert = useImportTestCertificate();
  const rootAdded = addRoot.isSuccess || isApiError(addRoot.error, ERROR_CODES.TRUST_ANCHOR_EXISTS);
  const chainRefused = isApiError(importCert.error, ERROR_CODES.CHAIN_NOT_TRUSTED);
  return (
    <Paper withBorder radius="md" p="md" data-testid="lab-import">
      <Title order={2} size="h5" mb="xs">
        Import into certdesk
      </Title>
      <Text size="sm" mb="sm">
        certdesk only imports a certificate whose chain ends at a trusted root, so the test root has to become
        a trust anchor first. Do this on a lab installation only: certdesk will then trust what that root
        signed (it signed just this certificate; its private key was discarded).
      </Text>
      <Stack gap="sm">
        <Group>
          <Button
            variant={rootAdded ? 'light' : 'filled'}
            color="orange"
            onClick={() => addRoot.mutate(result.rootPem)}
            loading={addRoot.isPending}
            disabled={rootAdded}
            leftSection={rootAdded ? <IconCircleCheck size={16} /> : null}
          >
            1. Add the test root as a trust anchor
          </Button>
          {rootAdded ? (
            <Text size="sm" c="teal">
              The test root is a trust anchor (remove it under{' '}
              <Anchor component={Link} to="/trust-anchors">
                Trust anchors
              </Anchor>{' '}
              when you are done).
            </Text>
          ) : null}
        </Group>
        {addRoot.isError && !rootAdded ? (
          <ErrorAlert error={addRoot.error} title="Could not add the root" />
        ) : null}
        <Group>
          <Button
            onClick={() =>
              importCert.mutate({ pfxBase64: result.pfxBase64, pfxPassword, name: `${commonName} (TEST)` })
            }
            loading={importCert.isPending}
            disabled={importCert.isSuccess}
          >
            2. Import into certdesk
          </Button>
        </Group>
        {importCert.isError ? (
          <ErrorAlert error={importCert.error} title="The import was refused">
            {chainRefused ? (
              <Text size="sm" mt="xs">
                The chain check blocks it because the test root is not trusted yet: do step 1 first.
              </Text>
            ) : null}
          </ErrorAlert>
        ) : null}
        {importCert.data ? (
          <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />} data-testid="lab-imported">
            Imported.{' '}
            <Anchor component={Link} to={`/certificates/${importCert.data.id}`}>
              Open the certificate
            </Anchor>{' '}
            to make it active for HTTPS.
          </Alert>
        ) : null}
      </Stack>
    </Paper>
  );
}

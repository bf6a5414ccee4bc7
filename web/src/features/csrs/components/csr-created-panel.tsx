import type { Csr } from '@certdesk/shared/types';
import { Alert, Anchor, Stack, Text } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { PemBlock } from '../../../components/pem-block.js';
import { CsrDownloads } from './csr-downloads.js';

/** Step 4: the CSR exists. Download it (or copy it) for the CA; the key waits on the server. */
export function CsrCreatedPanel({ csr }: { csr: Csr }) {
  return (
    <Stack gap="md" data-testid="csr-created">
      <Alert
        color="teal"
        variant="light"
        icon={<IconCircleCheck size={18} />}
        title={`CSR #${csr.id} created`}
      >
        <Text size="sm">
          Send <b>server.csr</b> (or the text below) to your certificate authority. The private key stays on
          this server, encrypted; when the CA answers,{' '}
          <Anchor component={Link} to="/import">
            import the certificate
          </Anchor>{' '}
          and certdesk pairs it with this key by itself.
        </Text>
      </Alert>
      <CsrDownloads csrId={csr.id} />
      <PemBlock value={csr.csrPem} label="server.csr" testId="csr-pem" />
      <Text size="sm">
        <Anchor component={Link} to={`/csrs/${csr.id}`}>
          Open CSR #{csr.id}
        </Anchor>{' '}
        ·{' '}
        <Anchor component={Link} to="/csrs">
          All CSRs
        </Anchor>
      </Text>
    </Stack>
  );
}

import type { Csr } from '@certdesk/shared/types';
import { Anchor, Badge, Button, Code, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconCertificate } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ErrorAlert } from '../../../components/error-alert.js';
import { FieldRows } from '../../../components/field-rows.js';
import { PageHeader } from '../../../components/page-header.js';
import { PageLoader } from '../../../components/page-loader.js';
import { PemBlock } from '../../../components/pem-block.js';
import { formatDateTime } from '../../../lib/format.js';
import { useCsr } from '../api/get-csr.js';
import { CsrDownloads } from './csr-downloads.js';
import { CsrNameWarnings } from './csr-name-warnings.js';
import { CsrStatusBadge } from './csr-status-badge.js';

function CsrDetail({ csr }: { csr: Csr }) {
  const s = csr.subject;
  const subjectRows: Array<[string, ReactNode]> = [
    ['Common name (CN)', s.commonName || 'None: the names are in the subject alternative names'],
  ];
  if (s.organization) subjectRows.push(['Organization (O)', s.organization]);
  if (s.organizationalUnit) subjectRows.push(['Organizational unit (OU)', s.organizationalUnit]);
  if (s.locality) subjectRows.push(['Locality (L)', s.locality]);
  if (s.state) subjectRows.push(['State or province (ST)', s.state]);
  if (s.country) subjectRows.push(['Country (C)', s.country]);
  subjectRows.push(['Distinguished name', <Code key="dn">{csr.subjectDn}</Code>]);
  const requestRows: Array<[string, ReactNode]> = [
    ['Status', <CsrStatusBadge key="st" status={csr.status} />],
    ['Key', csr.keyType === 'rsa' ? `RSA ${csr.keySize} bits` : `ECDSA ${csr.curve}`],
    ['Signature algorithm', csr.signatureAlgorithm],
    ['Public key SHA-256', <Code key="pk">{csr.publicKeySha256}</Code>],
    ['Created', formatDateTime(csr.createdAt)],
  ];
  if (csr.renewsCertificateId) {
    requestRows.push([
      'Renews',
      <Anchor key="rn" component={Link} to={`/certificates/${csr.renewsCertificateId}`}>
        certificate #{csr.renewsCertificateId}
      </Anchor>,
    ]);
  }
  return (
    <Stack gap="md">
      {csr.status === 'completed' && csr.certificateId ? (
        <Paper withBorder radius="md" p="md" bg="var(--mantine-color-teal-0)">
          <Group justify="space-between">
            <Text size="sm">The CA's certificate for this request has been imported.</Text>
            <Button
              component={Link}
              to={`/certificates/${csr.certificateId}`}
              leftSection={<IconCertificate size={16} />}
              variant="light"
            >
              Open certificate #{csr.certificateId}
            </Button>
          </Group>
        </Paper>
      ) : (
        <Paper withBorder radius="md" p="md">
          <Text size="sm" mb="sm">
            Pending: send server.csr to your CA, then{' '}
            <Anchor component={Link} to="/import">
              import
            </Anchor>{' '}
            the certificate it returns. The key is paired automatically.
          </Text>
          <CsrDownloads csrId={csr.id} />
        </Paper>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Paper withBorder radius="md" p="md">
          <Title order={2} size="h4" mb="xs">
            Subject
          </Title>
          <FieldRows rows={subjectRows} />
        </Paper>
        <Paper withBorder radius="md" p="md">
          <Title order={2} size="h4" mb="xs">
            Request
          </Title>
          <FieldRows rows={requestRows} />
        </Paper>
      </SimpleGrid>
      <Paper withBorder radius="md" p="md">
        <Title order={2} size="h4" mb="xs">
          Subject alternative names
        </Title>
        <Group gap={6} data-testid="csr-sans-list">
          {csr.subjectAltNames.map((n) => (
            <Badge key={n} variant="light" color="gray" tt="none">
              {n}
            </Badge>
          ))}
        </Group>
      </Paper>
      <CsrNameWarnings values={csr} />
      {csr.status === 'completed' ? <CsrDownloads csrId={csr.id} /> : null}
      <PemBlock value={csr.csrPem} label="server.csr (PEM)" testId="csr-pem" />
    </Stack>
  );
}

/** /csrs/:id — the decoded request, its PEM, its status and, once completed, its certificate. */
export function CsrDetailPage() {
  const id = Number(useParams().id);
  const csr = useCsr(id);
  return (
    <>
      <PageHeader
        title={
          csr.data
            ? `CSR #${csr.data.id}: ${csr.data.commonName || csr.data.subjectAltNames[0] || ''}`
            : `CSR #${Number.isInteger(id) ? id : '?'}`
        }
        actions={
          <Button component={Link} to="/csrs" variant="default" leftSection={<IconArrowLeft size={16} />}>
            All CSRs
          </Button>
        }
      />
      {!Number.isInteger(id) || id < 1 ? (
        <ErrorAlert error={new Error('This address does not name a CSR.')} title="Not found" />
      ) : csr.isPending ? (
        <PageLoader label="Loading the CSR…" />
      ) : csr.isError ? (
        <ErrorAlert error={csr.error} title="Could not load the CSR" />
      ) : (
        <CsrDetail csr={csr.data} />
      )}
    </>
  );
}

import { Alert, Anchor, Badge, Group, Paper, Stack, Tabs, Text } from '@mantine/core';
import { IconAlertTriangle, IconArrowLeft } from '@tabler/icons-react';
import { Link, useParams } from 'react-router-dom';
import { CertificateStatusBadge } from '../../../components/certificate-status-badge.js';
import { ErrorAlert } from '../../../components/error-alert.js';
import { ExpiryBadge } from '../../../components/expiry-badge.js';
import { PageHeader } from '../../../components/page-header.js';
import { PageLoader } from '../../../components/page-loader.js';
import { PemBlock } from '../../../components/pem-block.js';
import { useExpiryThresholds } from '../../../lib/expiry-thresholds.js';
import { useCertificate } from '../api/get-certificate.js';
import { AcmeRenewal } from './acme-renewal.js';
import { CertificateActions } from './certificate-actions.js';
import { CertificateDeployments } from './certificate-deployments.js';
import { CertificateDetailsTab } from './certificate-details-tab.js';
import { CertificateGeneralTab } from './certificate-general-tab.js';
import { CertificatePathTab } from './certificate-path-tab.js';
import { CertificateReportTab } from './certificate-report-tab.js';
import { VersionHistory } from './version-history.js';
import { VersionsAndUsage } from './versions-and-usage.js';

/** One certificate, laid out like the Windows certificate dialog: General, Details, Certification Path. */
export function CertificateDetailPage() {
  const id = Number(useParams().id);
  const query = useCertificate(id);
  const thresholds = useExpiryThresholds();

  if (!Number.isInteger(id) || id <= 0)
    return (
      <>
        <PageHeader title="Certificate" />
        <ErrorAlert error="This address does not name a certificate." title="Not found" />
      </>
    );
  if (query.isPending)
    return (
      <>
        <PageHeader title="Certificate" />
        <PageLoader label="Loading the certificate…" />
      </>
    );
  if (query.isError)
    return (
      <>
        <PageHeader title="Certificate" />
        <ErrorAlert error={query.error} title="Could not load the certificate" />
      </>
    );
  const cert = query.data;

  return (
    <>
      <Anchor component={Link} to="/certificates" size="sm">
        <Group gap={4}>
          <IconArrowLeft size={14} /> Certificates
        </Group>
      </Anchor>
      <PageHeader
        title={cert.commonName ?? cert.subject}
        description={
          <Group gap="xs" component="span">
            <CertificateStatusBadge status={cert.status} />
            <ExpiryBadge
              daysLeft={cert.daysLeft}
              expired={cert.expired}
              notAfter={cert.notAfter}
              thresholds={thresholds}
            />
            {cert.name && cert.name !== cert.commonName ? (
              <Badge variant="default" tt="none">
                {cert.name}
              </Badge>
            ) : null}
            <Text span size="sm" c="dimmed">
              #{cert.id} · issued by {cert.issuerCommonName ?? cert.issuer}
            </Text>
          </Group>
        }
      />
      {/* Below the title, not beside it: host names are long and would run under the buttons. */}
      <Group mt={-8} mb="md">
        <CertificateActions cert={cert} />
      </Group>
      {cert.expired && cert.status === 'active' ? (
        <Alert
          color="red"
          variant="filled"
          icon={<IconAlertTriangle size={18} />}
          mb="md"
          data-testid="expired-active-alert"
        >
          This expired certificate is still in use. Clients are refusing it: renew it or switch to another
          certificate now.
        </Alert>
      ) : null}
      <Stack gap="md">
        <AcmeRenewal cert={cert} />
        <VersionsAndUsage cert={cert} />
        <VersionHistory cert={cert} />
        <CertificateDeployments certificateId={cert.id} />
        <Paper withBorder radius="md" p="md">
          <Tabs defaultValue="general" keepMounted={false}>
            <Tabs.List mb="md">
              <Tabs.Tab value="general">General</Tabs.Tab>
              <Tabs.Tab value="details">Details</Tabs.Tab>
              <Tabs.Tab value="path">Certification Path</Tabs.Tab>
              <Tabs.Tab value="report">Import report</Tabs.Tab>
              <Tabs.Tab value="pem">PEM</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="general">
              <CertificateGeneralTab cert={cert} thresholds={thresholds} />
            </Tabs.Panel>
            <Tabs.Panel value="details">
              <CertificateDetailsTab cert={cert} />
            </Tabs.Panel>
            <Tabs.Panel value="path">
              <CertificatePathTab cert={cert} />
            </Tabs.Panel>
            <Tabs.Panel value="report">
              <CertificateReportTab report={cert.report} />
            </Tabs.Panel>
            <Tabs.Panel value="pem">
              <Stack gap="md">
                <PemBlock label="Certificate" value={cert.pem.cert} testId="pem-cert" />
                {cert.pem.chain ? (
                  <PemBlock label="Chain (intermediates)" value={cert.pem.chain} testId="pem-chain" />
                ) : null}
                <PemBlock
                  label="Full chain (certificate + intermediates)"
                  value={cert.pem.fullchain}
                  testId="pem-fullchain"
                />
              </Stack>
            </Tabs.Panel>
          </Tabs>
        </Paper>
      </Stack>
    </>
  );
}

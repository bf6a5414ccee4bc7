import type { CertificateDetail } from '@certdesk/shared/types';
import { Alert, Badge, Divider, Group, List, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconAlertTriangle, IconCertificate, IconCircleCheck } from '@tabler/icons-react';
import { ExpiryBadge } from '../../../components/expiry-badge.js';
import { formatDateTime } from '../../../lib/format.js';

/** The "General" tab of the Windows dialog: what the certificate is for, who it names, who vouches, how long. */
export function CertificateGeneralTab({
  cert,
  thresholds,
}: {
  cert: CertificateDetail;
  thresholds: readonly number[] | undefined;
}) {
  const purposes = cert.extendedKeyUsage.length
    ? cert.extendedKeyUsage.map((e) => e.name)
    : ['All application policies (no extended key usage restriction)'];
  const okForServer =
    cert.extendedKeyUsage.length === 0 || cert.extendedKeyUsage.some((e) => e.oid === '1.3.6.1.5.5.7.3.1');
  const problem = cert.expired
    ? 'This certificate has expired. Clients will refuse connections that present it.'
    : cert.chain[0]?.status === 'not_yet_valid'
      ? 'This certificate is not valid yet.'
      : !cert.hasKey
        ? 'No private key is stored for this certificate: the server cannot use it until its key is attached (Attach private key, above).'
        : null;
  return (
    <Stack gap="md" maw={760}>
      <Group gap="md" wrap="nowrap" align="flex-start">
        <ThemeIcon size={48} radius="md" variant="light" color={problem ? 'red' : 'blue'}>
          <IconCertificate size={30} />
        </ThemeIcon>
        <Stack gap={4}>
          <Title order={2} size="h4">
            Certificate information
          </Title>
          {problem ? (
            <Alert
              color="red"
              variant="light"
              icon={<IconAlertTriangle size={18} />}
              p="xs"
              data-testid="certificate-problem"
            >
              {problem}
            </Alert>
          ) : (
            <Group gap={6}>
              <IconCircleCheck size={18} color="var(--mantine-color-teal-6)" />
              <Text size="sm">
                {okForServer
                  ? 'This certificate is intended for the following purpose(s):'
                  : 'Intended purposes:'}
              </Text>
            </Group>
          )}
          <List size="sm" withPadding>
            {purposes.map((p) => (
              <List.Item key={p}>{p}</List.Item>
            ))}
          </List>
          {!okForServer ? (
            <Text size="sm" c="red">
              It is not meant for server authentication: browsers will refuse it for HTTPS.
            </Text>
          ) : null}
        </Stack>
      </Group>
      <Divider />
      <Stack gap={6}>
        <Group gap="xs" align="baseline">
          <Text fw={600} w={110}>
            Issued to:
          </Text>
          <Text data-testid="issued-to">{cert.commonName ?? cert.subject}</Text>
        </Group>
        <Group gap="xs" align="baseline">
          <Text fw={600} w={110}>
            Issued by:
          </Text>
          <Text data-testid="issued-by">{cert.issuerCommonName ?? cert.issuer}</Text>
          {cert.selfSigned ? (
            <Badge color="orange" variant="light" tt="none">
              Self-signed
            </Badge>
          ) : null}
        </Group>
        <Group gap="xs" align="baseline">
          <Text fw={600} w={110}>
            Valid from
          </Text>
          <Text>{formatDateTime(cert.notBefore)}</Text>
          <Text fw={600}>to</Text>
          <Text>{formatDateTime(cert.notAfter)}</Text>
          <ExpiryBadge daysLeft={cert.daysLeft} expired={cert.expired} thresholds={thresholds} />
        </Group>
        <Group gap="xs" align="baseline">
          <Text fw={600} w={110}>
            Also valid for:
          </Text>
          <Text size="sm">{cert.subjectAltNames.join(', ') || '—'}</Text>
        </Group>
        <Group gap="xs" align="baseline">
          <Text fw={600} w={110}>
            Private key:
          </Text>
          <Text size="sm">
            {cert.hasKey
              ? 'You have a private key that corresponds to this certificate.'
              : 'Not stored on this server.'}
          </Text>
        </Group>
      </Stack>
    </Stack>
  );
}

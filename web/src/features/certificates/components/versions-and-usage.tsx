import type { CertificateDetail, CertificateVersionRef } from '@certdesk/shared/types';
import { Anchor, Group, Paper, Text } from '@mantine/core';
import { Link } from 'react-router-dom';
import { CertificateStatusBadge } from '../../../components/certificate-status-badge.js';

function Ref({ v }: { v: CertificateVersionRef }) {
  return (
    <Group gap={6} component="span">
      <Anchor component={Link} to={`/certificates/${v.id}`} size="sm">
        #{v.id} {v.commonName}
      </Anchor>
      <CertificateStatusBadge status={v.status} />
    </Group>
  );
}

/** Where the certificate is used, and its place among versions (renewals) of the same identity. */
export function VersionsAndUsage({ cert }: { cert: CertificateDetail }) {
  const uses = [
    cert.usedBy.active
      ? cert.usedBy.httpsEnabled
        ? 'the HTTPS certificate of this server'
        : 'the chosen HTTPS certificate (HTTPS mode is off)'
      : null,
    ...cert.usedBy.bindings.map((b) => `SNI binding ${b.hostname}`),
  ].filter(Boolean);
  // The replacement is shown once, under "Superseded by".
  const newer = cert.nextVersions.filter((v) => v.id !== cert.supersededBy?.id);
  return (
    <Paper withBorder radius="md" p="md" data-testid="versions-and-usage">
      <Group gap="xl" align="flex-start" wrap="wrap">
        <div>
          <Text size="xs" c="dimmed" fw={600} tt="uppercase">
            Used by
          </Text>
          <Text size="sm" data-testid="used-by">
            {uses.length ? uses.join(', ') : 'Nothing: not served by this server.'}
          </Text>
        </div>
        {cert.previousVersion ? (
          <div>
            <Text size="xs" c="dimmed" fw={600} tt="uppercase">
              Previous version
            </Text>
            <Ref v={cert.previousVersion} />
          </div>
        ) : null}
        {newer.length ? (
          <div>
            <Text size="xs" c="dimmed" fw={600} tt="uppercase">
              Newer version{newer.length > 1 ? 's' : ''}
            </Text>
            {newer.map((v) => (
              <Ref key={v.id} v={v} />
            ))}
          </div>
        ) : null}
        {cert.supersededBy ? (
          <div>
            <Text size="xs" c="dimmed" fw={600} tt="uppercase">
              Superseded by
            </Text>
            <Ref v={cert.supersededBy} />
          </div>
        ) : null}
      </Group>
    </Paper>
  );
}

import type { CertificateDetail } from '@certdesk/shared/types';
import { Alert, Box, Code, Group, Paper, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconAlertTriangle, IconCertificate, IconCircleCheck, IconCircleX } from '@tabler/icons-react';
import { useState } from 'react';
import { formatDate } from '../../../lib/format.js';

const LOOK = {
  ok: { color: 'teal', icon: IconCircleCheck, label: 'This certificate is OK.' },
  expired: { color: 'red', icon: IconCircleX, label: 'Expired' },
  not_yet_valid: { color: 'orange', icon: IconAlertTriangle, label: 'Not valid yet' },
  bad_signature: { color: 'red', icon: IconCircleX, label: 'Signature does not verify' },
  issuer_missing: { color: 'orange', icon: IconAlertTriangle, label: 'Issuer not found' },
} as const;

/** "Certification Path": the chain as a tree, root at the top, each link with its status; select one to read it. */
export function CertificatePathTab({ cert }: { cert: CertificateDetail }) {
  // The API lists leaf first; the dialog draws the root first and the leaf deepest.
  const links = [...cert.chain].reverse();
  const [selected, setSelected] = useState(links.length - 1);
  const current = links[selected];
  const hasRoot = cert.chain.some((l) => l.role === 'root');
  return (
    <Stack gap="md" maw={760}>
      <Paper withBorder p="sm" radius="sm" data-testid="certification-path">
        {links.map((link, depth) => {
          const look = LOOK[link.status];
          return (
            <Box
              key={link.fingerprintSha256}
              pl={depth * 24}
              py={4}
              onClick={() => setSelected(depth)}
              style={{ cursor: 'pointer' }}
              data-role={link.role}
              data-status={link.status}
            >
              <Group
                gap={6}
                wrap="nowrap"
                px={6}
                style={{
                  borderRadius: 4,
                  background: depth === selected ? 'var(--mantine-color-blue-light)' : undefined,
                }}
              >
                <ThemeIcon size={22} variant="light" color={look.color}>
                  {link.status === 'ok' ? <IconCertificate size={15} /> : <look.icon size={15} />}
                </ThemeIcon>
                <Text size="sm" fw={link.role === 'leaf' ? 600 : 400}>
                  {link.commonName ?? link.subject}
                </Text>
                <Text size="xs" c="dimmed">
                  {link.role === 'root' ? 'root' : link.role === 'leaf' ? 'this certificate' : 'intermediate'}{' '}
                  · until {formatDate(link.notAfter)}
                </Text>
                {link.status !== 'ok' ? (
                  <Text size="xs" c={look.color} fw={600}>
                    {look.label}
                  </Text>
                ) : null}
              </Group>
            </Box>
          );
        })}
      </Paper>
      {!hasRoot ? (
        <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />}>
          The root certificate is not stored with this certificate. Clients complete the path with their own
          trusted roots.
        </Alert>
      ) : null}
      {current ? (
        <Stack gap={4}>
          <Text fw={600} size="sm">
            Certificate status:
          </Text>
          <Text size="sm" c={LOOK[current.status].color} data-testid="path-status">
            {current.message}
          </Text>
          <Text size="xs" c="dimmed">
            Issued by {current.issuer} · SHA-1 <Code>{current.thumbprintSha1}</Code>
          </Text>
        </Stack>
      ) : null}
    </Stack>
  );
}

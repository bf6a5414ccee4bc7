import type { CertificateStatus, CertificateSummary, Dashboard } from '@certdesk/shared/types';
import {
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  ThemeIcon,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconCertificate,
  IconFileCertificate,
  IconFilePlus,
  IconFileUpload,
  IconLock,
  IconLockOpen,
} from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import {
  CertificateStatusBadge,
  certificateStatusLabel,
} from '../../../components/certificate-status-badge.js';
import { EmptyState } from '../../../components/empty-state.js';
import { ErrorAlert } from '../../../components/error-alert.js';
import { ExpiryBadge, expiryColor } from '../../../components/expiry-badge.js';
import { PageHeader } from '../../../components/page-header.js';
import { PageLoader } from '../../../components/page-loader.js';
import { formatDate, formatDateTime } from '../../../lib/format.js';
import { useCan } from '../../../lib/permissions.js';
import { useDashboard } from '../api/get-dashboard.js';
import classes from './dashboard-page.module.css';
import { DeploymentHealthTile } from './deployment-health.js';
import { ExpiryThresholdsCard } from './expiry-thresholds-card.js';
import { RemindersCard } from './reminders-card.js';
import { RenewButton } from './renew-button.js';

const STATUS_ORDER: CertificateStatus[] = ['active', 'available', 'pending_key', 'expired', 'superseded'];

interface CountTileProps {
  label: string;
  count: number;
  to: string;
  status: CertificateStatus | 'all';
  alert?: boolean;
}

/** One count, the whole tile a link to the inventory filtered the same way. */
function CountTile({ label, count, to, status, alert = false }: CountTileProps) {
  return (
    <Paper
      component={Link}
      to={to}
      withBorder
      radius="md"
      p="sm"
      data-status={status}
      className={classes.tile}
      aria-label={`${label}: ${count} ${count === 1 ? 'certificate' : 'certificates'}`}
    >
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">
        {label}
      </Text>
      <Text fz={28} fw={700} c={alert ? 'red' : 'var(--mantine-color-anchor)'} data-testid="count">
        {count}
      </Text>
    </Paper>
  );
}

function ActiveCard({ d }: { d: Dashboard }) {
  const a = d.active;
  const canWrite = useCan('inventory:write');
  return (
    <Paper withBorder radius="md" p="lg" data-testid="active-certificate">
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Group gap="md" align="flex-start" wrap="nowrap">
          <ThemeIcon size={44} radius="md" variant="light" color={!a ? 'gray' : a.expired ? 'red' : 'blue'}>
            {d.httpsEnabled ? <IconLock size={26} /> : <IconLockOpen size={26} />}
          </ThemeIcon>
          <Stack gap={2}>
            <Text size="xs" c="dimmed" fw={600} tt="uppercase">
              Server certificate {d.httpsEnabled ? '(HTTPS on)' : '(HTTPS off)'}
            </Text>
            {a ? (
              <>
                <Anchor component={Link} to={`/certificates/${a.id}`} fw={700} size="lg">
                  {a.commonName ?? a.subject}
                </Anchor>
                <Text size="sm" c="dimmed">
                  Issued by {a.issuerCommonName ?? a.issuer} · valid until {formatDateTime(a.notAfter)}
                </Text>
              </>
            ) : (
              <Text size="sm">
                No certificate is chosen yet. Import one, then switch HTTPS on in Server Settings.
              </Text>
            )}
          </Stack>
        </Group>
        {a ? (
          // The number once, in words as well as colour (no badge repeating "396 days left" beside it).
          <Stack gap={4} align="flex-end" data-testid="active-days-left">
            {a.expired ? (
              <Text fz={32} fw={700} lh={1} c="red">
                Expired
              </Text>
            ) : (
              <>
                <Text fz={40} fw={700} lh={1} c={expiryColor(a.daysLeft, false, d.thresholds)}>
                  {a.daysLeft}
                </Text>
                <Text size="sm" c="dimmed">
                  {a.daysLeft === 1 ? 'day left' : 'days left'}
                </Text>
              </>
            )}
          </Stack>
        ) : canWrite ? (
          <Button component={Link} to="/import">
            Import a certificate
          </Button>
        ) : null}
      </Group>
    </Paper>
  );
}

function ExpiryTable({ items, thresholds }: { items: CertificateSummary[]; thresholds: readonly number[] }) {
  return (
    <Table verticalSpacing="xs" highlightOnHover>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Certificate</Table.Th>
          <Table.Th>Valid to</Table.Th>
          <Table.Th>Expiry</Table.Th>
          <Table.Th>Status</Table.Th>
          <Table.Th>
            <VisuallyHidden>Actions</VisuallyHidden>
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((c) => (
          <Table.Tr key={c.id} data-certificate-id={c.id}>
            <Table.Td>
              <Anchor component={Link} to={`/certificates/${c.id}`} size="sm">
                {c.commonName ?? c.subject}
              </Anchor>
            </Table.Td>
            <Table.Td>
              <Text size="sm">{formatDate(c.notAfter)}</Text>
            </Table.Td>
            <Table.Td>
              <ExpiryBadge
                daysLeft={c.daysLeft}
                expired={c.expired}
                notAfter={c.notAfter}
                thresholds={thresholds}
              />
            </Table.Td>
            <Table.Td>
              <CertificateStatusBadge status={c.status} />
            </Table.Td>
            <Table.Td>
              <RenewButton certificate={c} />
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** Expiry at a glance: the served certificate, what needs attention soon, and CSRs still waiting. */
export function DashboardPage() {
  const query = useDashboard();
  const canWrite = useCan('inventory:write');
  if (query.isPending)
    return (
      <>
        <PageHeader title="Dashboard" />
        <PageLoader label="Loading the dashboard…" />
      </>
    );
  if (query.isError)
    return (
      <>
        <PageHeader title="Dashboard" />
        <ErrorAlert error={query.error} title="Could not load the dashboard" />
      </>
    );
  const d = query.data;
  const attention = [...d.expired, ...d.expiringSoon];
  return (
    <>
      <PageHeader
        title="Dashboard"
        description="The certificate this server presents, and what expires soon."
      />
      <Stack gap="md">
        <ActiveCard d={d} />
        <DeploymentHealthTile counts={d.targets} />
        <SimpleGrid cols={{ base: 2, sm: 3, md: 6 }} data-testid="status-counts">
          <CountTile label="All" count={d.counts.total} to="/certificates" status="all" />
          {STATUS_ORDER.map((s) => (
            <CountTile
              key={s}
              label={certificateStatusLabel(s)}
              count={d.counts[s]}
              to={`/certificates?status=${s}`}
              status={s}
              alert={s === 'expired' && d.counts[s] > 0}
            />
          ))}
        </SimpleGrid>
        <Paper withBorder radius="md" p="md" data-testid="expiring">
          <Group justify="space-between" mb="xs">
            <Group gap="xs">
              <IconAlertTriangle size={18} />
              <Title order={2} size="h4">
                Needs attention
              </Title>
            </Group>
            <Text size="sm" c="dimmed">
              Expired, or expiring within {Math.max(...d.thresholds)} days (warnings at{' '}
              {d.thresholds.join(' / ')} days)
            </Text>
          </Group>
          {d.counts.total === 0 ? (
            <EmptyState
              icon={<IconCertificate size={26} />}
              title="No certificates yet"
              description="Import what your certificate authority sent, or generate a CSR to ask it for one."
              action={
                canWrite ? (
                  <Group gap="sm" mt="xs">
                    <Button component={Link} to="/import" leftSection={<IconFileUpload size={16} />}>
                      Import a certificate
                    </Button>
                    <Button
                      component={Link}
                      to="/csrs/new"
                      variant="default"
                      leftSection={<IconFilePlus size={16} />}
                    >
                      Generate a CSR
                    </Button>
                  </Group>
                ) : undefined
              }
            />
          ) : attention.length === 0 ? (
            <EmptyState
              icon={<IconCertificate size={26} />}
              title="Nothing expires soon"
              description={`No certificate in use or available expires within ${Math.max(...d.thresholds)} days.`}
            />
          ) : (
            <ExpiryTable items={attention} thresholds={d.thresholds} />
          )}
        </Paper>
        <RemindersCard />
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <Paper withBorder radius="md" p="md" data-testid="pending-csrs">
            <Group gap="xs" mb="xs">
              <IconFileCertificate size={18} />
              <Title order={2} size="h4">
                CSRs waiting for their certificate
              </Title>
              <Badge variant="light">{d.pendingCsrs.length}</Badge>
            </Group>
            {d.pendingCsrs.length === 0 ? (
              <Text size="sm" c="dimmed">
                None. When the CA answers a CSR, import its certificate and it pairs with the waiting key by
                itself.
              </Text>
            ) : (
              <Stack gap={4}>
                {d.pendingCsrs.map((c) => (
                  <Group key={c.id} gap="xs">
                    <Anchor component={Link} to={`/csrs/${c.id}`} size="sm">
                      {c.commonName}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      created {formatDate(c.createdAt)}
                      {c.renewsCertificateId ? ` · renews #${c.renewsCertificateId}` : ''}
                    </Text>
                  </Group>
                ))}
                {canWrite ? (
                  <Button component={Link} to="/import" variant="light" size="xs" w="fit-content" mt="xs">
                    Import a certificate
                  </Button>
                ) : null}
              </Stack>
            )}
          </Paper>
          <ExpiryThresholdsCard />
        </SimpleGrid>
      </Stack>
    </>
  );
}

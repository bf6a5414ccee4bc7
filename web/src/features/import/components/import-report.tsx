import type { ImportReport } from '@certdesk/shared/types';
import { Alert, Badge, Card, Group, List, Stack, Table, Text, Title } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { CheckList } from '../../../components/check-list.js';
import { formatDate } from '../../../lib/format.js';

const ROLE = {
  leaf: 'Server certificate',
  intermediate: 'Intermediate',
  anchor: 'Trust anchor (not sent)',
} as const;

/** The pre-flight report: checks, the ordered chain, and what was dropped and why. */
export function ImportReportView({ report }: { report: ImportReport }) {
  return (
    <Stack gap="md" data-testid="import-report">
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          Pre-flight checks
        </Title>
        <CheckList checks={report.checks} />
      </Card>
      <Card withBorder>
        <Title order={2} size="h4" mb="sm">
          Certification path
        </Title>
        <List type="ordered" spacing="xs" data-testid="chain-list">
          {report.chain.map((c) => (
            <List.Item key={c.fingerprintSha256} data-role={c.role}>
              <Group gap="xs">
                <Text size="sm" fw={600}>
                  {c.commonName ?? c.subject}
                </Text>
                <Badge
                  size="xs"
                  variant="light"
                  color={c.role === 'anchor' ? 'gray' : c.role === 'leaf' ? 'blue' : 'violet'}
                >
                  {ROLE[c.role]}
                </Badge>
              </Group>
              <Text size="xs" c="dimmed">
                Issued by {c.issuer} · valid {formatDate(c.notBefore)} – {formatDate(c.notAfter)} · from{' '}
                {c.source}
              </Text>
            </List.Item>
          ))}
        </List>
        <Text size="sm" c="dimmed" mt="xs">
          Key: {report.key.description ?? 'none (the certificate will wait for its key)'}
        </Text>
      </Card>
      {report.dropped.length ? (
        <Card withBorder data-testid="dropped-list">
          <Title order={2} size="h4" mb="sm">
            Not used
          </Title>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>File</Table.Th>
                <Table.Th>Certificate</Table.Th>
                <Table.Th>Why</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {report.dropped.map((d, i) => (
                <Table.Tr key={`${d.fingerprintSha256}-${i}`}>
                  <Table.Td>{d.file}</Table.Td>
                  <Table.Td>{d.subject}</Table.Td>
                  <Table.Td>{d.reason}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      ) : null}
      {report.notes.length ? (
        <Alert variant="light" color="blue" icon={<IconInfoCircle size={18} />} title="Chain building">
          {report.notes.map((n) => (
            <Text size="sm" key={n}>
              {n}
            </Text>
          ))}
        </Alert>
      ) : null}
    </Stack>
  );
}

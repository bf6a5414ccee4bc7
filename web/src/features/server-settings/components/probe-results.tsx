import type { ProbeResult } from '@certdesk/shared/types';
import { Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { ErrorAlert } from '../../../components/error-alert.js';
import { useProbeServer } from '../api/probe-server.js';

/** What clients see now: a real handshake per server name (SNI), chain and host name verified. */
export function ProbeResults({ probe, httpsRunning }: { probe: ProbeResult | null; httpsRunning: boolean }) {
  const run = useProbeServer();
  const shown = run.data ?? probe;
  return (
    <Paper withBorder p="md" radius="md" data-testid="probe-results">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4">
            What clients see
          </Title>
          <Button
            variant="light"
            size="xs"
            onClick={() => run.mutate()}
            loading={run.isPending}
            disabled={!httpsRunning}
          >
            Test the handshake now
          </Button>
        </Group>
        {!httpsRunning ? (
          <Text size="sm" c="dimmed">
            HTTPS is off: there is no handshake to test.
          </Text>
        ) : !shown || shown.results.length === 0 ? (
          <Text size="sm" c="dimmed">
            No handshake tested yet.
          </Text>
        ) : (
          <>
            <Text size="xs" c="dimmed">
              Tested {new Date(shown.at).toLocaleString()} on port {shown.port}, trusting Node's Mozilla roots
              and your enterprise roots.
            </Text>
            <Table.ScrollContainer minWidth={700}>
              <Table striped withTableBorder>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Server name</Table.Th>
                    <Table.Th>Result</Table.Th>
                    <Table.Th>Certificate</Table.Th>
                    <Table.Th>Chain (as the client verified it)</Table.Th>
                    <Table.Th>Protocol / cipher</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {shown.results.map((r) => (
                    <Table.Tr key={r.serverName}>
                      <Table.Td ff="monospace">{r.serverName}</Table.Td>
                      <Table.Td>
                        {/* max-content: a table cell must not squeeze the badge into "TR…". */}
                        <Badge color={r.ok ? 'green' : 'red'} style={{ minWidth: 'max-content' }}>
                          {r.ok ? 'trusted' : 'problem'}
                        </Badge>
                        {r.error ? (
                          <Text size="xs" c="red" mt={4}>
                            {r.error}
                          </Text>
                        ) : null}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{r.subject ?? '—'}</Text>
                        <Text size="xs" c="dimmed">
                          issued by {r.issuer ?? '—'}
                        </Text>
                        <Text size="xs" c="dimmed" ff="monospace">
                          {r.thumbprintSha1}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {r.chainSubjects.map((c, i) => (
                          // biome-ignore lint/suspicious/noArrayIndexKey: the position in the chain is the identity
                          <Text size="xs" key={`${i}-${c}`}>
                            {'  '.repeat(i)}
                            {i > 0 ? '↳ ' : ''}
                            {c}
                          </Text>
                        ))}
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{r.protocol ?? '—'}</Text>
                        <Text size="xs" c="dimmed">
                          {r.cipher}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </>
        )}
        <ErrorAlert error={run.error} title="The probe did not run" />
      </Stack>
    </Paper>
  );
}

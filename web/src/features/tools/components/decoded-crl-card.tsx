import type { DecodedCrl } from '@certdesk/shared/types';
import { Accordion, Badge, Code, Group, Paper, Table, Text, Title } from '@mantine/core';
import { IconListDetails } from '@tabler/icons-react';
import { FieldRows } from '../../../components/field-rows.js';
import { PemBlock } from '../../../components/pem-block.js';

const date = (iso: string | null) =>
  iso ? `${new Date(iso).toISOString().replace('T', ' ').slice(0, 16)} UTC` : 'unreadable (not a valid time)';

function freshness(crl: DecodedCrl) {
  if (!crl.nextUpdate) return <Badge color="gray">no next update</Badge>;
  if (new Date(crl.nextUpdate).getTime() < Date.now())
    return <Badge color="orange">past its next update</Badge>;
  return (
    <Badge color="teal" variant="light">
      current
    </Badge>
  );
}

/** A certificate revocation list, as `openssl crl -text` lists it: header fields, then the entries. */
export function CrlCard({ crl }: { crl: DecodedCrl }) {
  const more = crl.revokedCount - crl.revoked.length;
  return (
    <Paper withBorder radius="md" p="md" data-testid="decoded-crl">
      <Group justify="space-between" mb="xs">
        <Group gap="xs">
          <IconListDetails size={18} />
          <Title order={2} size="h5">
            {crl.deltaCrlOf ? 'Delta CRL' : 'Certificate revocation list'}: {crl.issuer || 'unnamed issuer'}
          </Title>
        </Group>
        <Group gap={6}>
          <Badge variant="light" color="gray">
            {crl.revokedCount} revoked
          </Badge>
          {freshness(crl)}
        </Group>
      </Group>
      <FieldRows
        rows={[
          ['Issuer', crl.issuer],
          ['Version', crl.version === null ? 'unknown' : String(crl.version)],
          ['This update', date(crl.thisUpdate)],
          ['Next update', crl.nextUpdate ? date(crl.nextUpdate) : 'none given'],
          ['CRL number', crl.crlNumber ?? 'none'],
          ...(crl.deltaCrlOf ? [['Updates base CRL number', crl.deltaCrlOf] as [string, string]] : []),
          ['Revoked certificates', String(crl.revokedCount)],
          ['Signature algorithm', crl.signatureAlgorithm],
          ['SHA-256 fingerprint', <Code key="f">{crl.fingerprintSha256}</Code>],
        ]}
      />
      <Accordion variant="contained" mt="sm" chevronPosition="left">
        <Accordion.Item value="revoked">
          <Accordion.Control>Revoked certificates ({crl.revokedCount})</Accordion.Control>
          <Accordion.Panel>
            {crl.revoked.length === 0 ? (
              <Text size="sm">None: this list revokes no certificate.</Text>
            ) : (
              <Table striped verticalSpacing={4} data-testid="crl-entries">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Serial number</Table.Th>
                    <Table.Th>Revoked on</Table.Th>
                    <Table.Th>Reason</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {crl.revoked.map((r, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: a CRL may list a serial twice
                    <Table.Tr key={`${r.serialNumber}-${i}`}>
                      <Table.Td>
                        <Code>{r.serialNumber}</Code>
                      </Table.Td>
                      <Table.Td>{date(r.revocationDate)}</Table.Td>
                      <Table.Td>{r.reason ?? 'not given'}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            {more > 0 ? (
              <Text size="xs" c="dimmed" mt="xs">
                The first {crl.revoked.length} of {crl.revokedCount} entries are shown.
              </Text>
            ) : null}
          </Accordion.Panel>
        </Accordion.Item>
        <Accordion.Item value="ext">
          <Accordion.Control>Extensions ({crl.extensions.length})</Accordion.Control>
          <Accordion.Panel>
            <FieldRows
              rows={crl.extensions.map((e) => [`${e.name}${e.critical ? ' (critical)' : ''}`, e.oid])}
            />
          </Accordion.Panel>
        </Accordion.Item>
        <Accordion.Item value="pem">
          <Accordion.Control>PEM</Accordion.Control>
          <Accordion.Panel>
            <PemBlock value={crl.pem} label="CRL (PEM)" maxHeight={240} />
          </Accordion.Panel>
        </Accordion.Item>
      </Accordion>
    </Paper>
  );
}

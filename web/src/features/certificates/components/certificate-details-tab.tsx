import type { CertificateDetail } from '@certdesk/shared/types';
import { Badge, Code, Group, ScrollArea, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { CopyButton } from '../../../components/copy-button.js';
import { formatDateTime } from '../../../lib/format.js';
import { keyLabel, spacedHex } from './key-label.js';

interface Field {
  /** Unique per certificate: the field name, or the extension OID. */
  id: string;
  name: string;
  value: string;
  /** Multi-line value for the lower pane. */
  full?: string;
  critical?: boolean;
  copy?: boolean;
}

function fields(cert: CertificateDetail): Field[] {
  const dn = (f: CertificateDetail['subjectFields']) => f.map((x) => `${x.type} = ${x.value}`).join('\n');
  const out: Field[] = [
    { id: 'Version', name: 'Version', value: `V${cert.version}` },
    { id: 'Serial number', name: 'Serial number', value: spacedHex(cert.serialNumber), copy: true },
    { id: 'Signature algorithm', name: 'Signature algorithm', value: cert.signatureAlgorithm },
    { id: 'Issuer', name: 'Issuer', value: cert.issuer, full: dn(cert.issuerFields) },
    { id: 'Valid from', name: 'Valid from', value: formatDateTime(cert.notBefore), full: cert.notBefore },
    { id: 'Valid to', name: 'Valid to', value: formatDateTime(cert.notAfter), full: cert.notAfter },
    { id: 'Subject', name: 'Subject', value: cert.subject, full: dn(cert.subjectFields) },
    {
      id: 'Public key',
      name: 'Public key',
      value: cert.publicKey,
      full: `${cert.publicKey}\n${keyLabel(cert)}`,
    },
  ];
  for (const e of cert.extensions) {
    out.push({
      id: e.oid,
      name: e.name,
      value: e.value.join(', '),
      full: [`${e.name} (${e.oid})`, ...e.value].join('\n'),
      critical: e.critical,
    });
  }
  out.push(
    {
      id: 'thumbprint',
      name: 'Thumbprint (SHA-1)',
      // One form everywhere (list, path, bindings, tools): upper-case hex, as PowerShell and netsh take it.
      value: cert.thumbprintSha1,
      full: cert.thumbprintSha1,
      copy: true,
    },
    {
      id: 'fingerprint',
      name: 'Fingerprint (SHA-256)',
      value: cert.fingerprintSha256,
      full: spacedHex(cert.fingerprintSha256),
      copy: true,
    },
  );
  return out;
}

/** The "Details" tab: every field and extension in a list; the selected one in full below, as Windows does. */
export function CertificateDetailsTab({ cert }: { cert: CertificateDetail }) {
  const rows = fields(cert);
  const [selected, setSelected] = useState(0);
  const current = rows[selected] ?? rows[0];
  return (
    <>
      <ScrollArea h={380} type="auto">
        <Table highlightOnHover verticalSpacing={4} data-testid="details-fields">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={260}>Field</Table.Th>
              <Table.Th>Value</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((f, i) => (
              <Table.Tr
                key={f.id}
                onClick={() => setSelected(i)}
                bg={i === selected ? 'var(--mantine-color-blue-light)' : undefined}
                style={{ cursor: 'pointer' }}
                data-field={f.name}
              >
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Text size="sm">{f.name}</Text>
                    {f.critical ? (
                      <Badge size="xs" color="orange" variant="light" tt="none">
                        critical
                      </Badge>
                    ) : null}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" lineClamp={1} ff={f.copy ? 'monospace' : undefined}>
                    {f.value}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      {current ? (
        <Group align="flex-start" mt="sm" wrap="nowrap" gap="xs">
          <Code
            block
            style={{ flex: 1, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
            data-testid="details-value"
          >
            {current.full ?? current.value}
          </Code>
          {current.copy ? <CopyButton value={current.full ?? current.value} /> : null}
        </Group>
      ) : null}
    </>
  );
}

import type { CertificateSummary } from '@certdesk/shared/types';
import {
  Anchor,
  Badge,
  Code,
  Group,
  ScrollArea,
  Stack,
  Table,
  Text,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconSelector } from '@tabler/icons-react';
import { Link } from 'react-router-dom';
import { CertificateStatusBadge } from '../../../components/certificate-status-badge.js';
import { ExpiryBadge } from '../../../components/expiry-badge.js';
import { formatDate, showHiddenCharacters } from '../../../lib/format.js';
import { keyLabel } from './key-label.js';

export interface SortState {
  sort: string;
  order: 'asc' | 'desc';
}

interface Props {
  items: CertificateSummary[];
  sort: SortState;
  onSort: (sort: string) => void;
  thresholds: readonly number[] | undefined;
}

function SortHeader({
  label,
  field,
  sort,
  onSort,
}: {
  label: string;
  field: string;
  sort: SortState;
  onSort: (f: string) => void;
}) {
  const active = sort.sort === field;
  const Icon = active ? (sort.order === 'asc' ? IconArrowUp : IconArrowDown) : IconSelector;
  return (
    <Table.Th aria-sort={active ? (sort.order === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <UnstyledButton onClick={() => onSort(field)} data-sort={field}>
        <Group gap={4} wrap="nowrap">
          <Text size="sm" fw={600}>
            {label}
          </Text>
          <Icon size={14} stroke={1.5} />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}

/** The inventory: one row per certificate, expiry in words and colour, every column sortable on the server. */
export function CertificatesTable({ items, sort, onSort, thresholds }: Props) {
  const h = (label: string, field: string) => (
    <SortHeader label={label} field={field} sort={sort} onSort={onSort} />
  );
  return (
    <ScrollArea type="auto">
      <Table striped highlightOnHover verticalSpacing="xs" miw={900} data-testid="certificates-table">
        <Table.Thead>
          <Table.Tr>
            {h('Common name', 'commonName')}
            <Table.Th>Subject alternative names</Table.Th>
            {h('Issuer', 'issuer')}
            {h('Valid to', 'notAfter')}
            {h('Key', 'keyType')}
            {h('Status', 'status')}
            {h('SHA-1 thumbprint', 'thumbprintSha1')}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((c) => (
            <Table.Tr key={c.id} data-certificate-id={c.id} data-testid="certificate-row">
              <Table.Td maw={240} style={{ overflowWrap: 'anywhere' }}>
                <Stack gap={0}>
                  <Anchor component={Link} to={`/certificates/${c.id}`} fw={600} size="sm">
                    {showHiddenCharacters(c.commonName ?? c.subject)}
                  </Anchor>
                  {c.name && c.name !== c.commonName ? (
                    <Text size="xs" c="dimmed">
                      {showHiddenCharacters(c.name)}
                    </Text>
                  ) : null}
                </Stack>
              </Table.Td>
              <Table.Td maw={180}>
                <Group gap={4} wrap="nowrap">
                  <Text size="sm" truncate="end" title={c.subjectAltNames.join(', ')}>
                    {c.subjectAltNames[0] ?? '—'}
                  </Text>
                  {c.subjectAltNames.length > 1 ? (
                    <Tooltip label={c.subjectAltNames.slice(1).join(', ')} multiline maw={400}>
                      <Badge variant="light" color="gray" radius="sm" tt="none" style={{ flexShrink: 0 }}>
                        +{c.subjectAltNames.length - 1}
                      </Badge>
                    </Tooltip>
                  ) : null}
                </Group>
              </Table.Td>
              <Table.Td>
                <Text size="sm" title={c.issuer}>
                  {c.issuerCommonName ?? c.issuer}
                  {c.selfSigned ? (
                    <Badge ml={6} size="xs" color="orange" variant="light" tt="none">
                      Self-signed
                    </Badge>
                  ) : null}
                </Text>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Stack gap={2} align="flex-start">
                  <Text size="sm">{formatDate(c.notAfter)}</Text>
                  <ExpiryBadge
                    daysLeft={c.daysLeft}
                    expired={c.expired}
                    notAfter={c.notAfter}
                    thresholds={thresholds}
                  />
                </Stack>
              </Table.Td>
              <Table.Td>
                <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                  {keyLabel(c)}
                </Text>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <CertificateStatusBadge status={c.status} />
              </Table.Td>
              <Table.Td>
                <Code title={c.thumbprintSha1} style={{ whiteSpace: 'nowrap' }}>
                  {c.thumbprintSha1.slice(0, 12)}…
                </Code>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}

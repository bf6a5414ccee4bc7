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
import { Fragment } from 'react';
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

/** The other names the certificate covers, under its name: the first one, and how many more. */
function SanSummary({ names }: { names: string[] }) {
  if (names.length === 0) return null;
  return (
    <Group gap={4} wrap="nowrap" data-testid="san-summary">
      <Text size="xs" c="dimmed" truncate="end" title={names.join(', ')} maw={120}>
        {names[0]}
      </Text>
      {names.length > 1 ? (
        <Tooltip label={names.slice(1).join(', ')} multiline maw={400}>
          <Badge size="sm" variant="light" color="gray" radius="sm" tt="none" style={{ flexShrink: 0 }}>
            +{names.length - 1}
          </Badge>
        </Tooltip>
      ) : null}
    </Group>
  );
}

function SortHeader({
  label,
  field,
  sort,
  onSort,
  visibleFrom,
}: {
  label: string;
  field: string;
  sort: SortState;
  onSort: (f: string) => void;
  visibleFrom?: 'lg';
}) {
  const active = sort.sort === field;
  const Icon = active ? (sort.order === 'asc' ? IconArrowUp : IconArrowDown) : IconSelector;
  return (
    <Table.Th
      aria-sort={active ? (sort.order === 'asc' ? 'ascending' : 'descending') : 'none'}
      visibleFrom={visibleFrom}
    >
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

/** A host name that wraps only between its labels (after a dot or hyphen), never inside one. */
function HostName({ name }: { name: string }) {
  const parts = name.split(/(?<=[.])/);
  return (
    <>
      {parts.map((part, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the labels of one name, in order, never reordered
        <Fragment key={i}>
          {part}
          {i < parts.length - 1 ? <wbr /> : null}
        </Fragment>
      ))}
    </>
  );
}

/**
 * The inventory: one row per certificate, expiry in words and colour, every column sortable on the server.
 * Fits a 1024-pixel screen without sideways scrolling: the SANs sit under the name, names wrap at dots.
 */
export function CertificatesTable({ items, sort, onSort, thresholds }: Props) {
  const h = (label: string, field: string) => (
    <SortHeader label={label} field={field} sort={sort} onSort={onSort} />
  );
  return (
    <ScrollArea type="auto">
      <Table
        striped
        highlightOnHover
        verticalSpacing="xs"
        horizontalSpacing={8}
        data-testid="certificates-table"
      >
        <Table.Thead>
          <Table.Tr>
            {h('Common name', 'commonName')}
            {h('Issuer', 'issuer')}
            {h('Valid to', 'notAfter')}
            {/* Below 1200 px the key moves under the name, so status and thumbprint stay on screen. */}
            <SortHeader label="Key" field="keyType" sort={sort} onSort={onSort} visibleFrom="lg" />
            {h('Status', 'status')}
            {h('SHA-1 thumbprint', 'thumbprintSha1')}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((c) => (
            <Table.Tr key={c.id} data-certificate-id={c.id} data-testid="certificate-row">
              <Table.Td miw={140} style={{ overflowWrap: 'break-word' }}>
                <Stack gap={2}>
                  <Anchor component={Link} to={`/certificates/${c.id}`} fw={600} size="sm" data-cn>
                    <HostName name={showHiddenCharacters(c.commonName ?? c.subject)} />
                  </Anchor>
                  {c.name && c.name !== c.commonName ? (
                    <Text size="xs" c="dimmed">
                      {showHiddenCharacters(c.name)}
                    </Text>
                  ) : null}
                  <SanSummary names={c.subjectAltNames.filter((n) => n !== c.commonName)} />
                  <Text size="xs" c="dimmed" hiddenFrom="lg">
                    {keyLabel(c)}
                  </Text>
                </Stack>
              </Table.Td>
              <Table.Td miw={120}>
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
              <Table.Td visibleFrom="lg">
                <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                  {keyLabel(c)}
                </Text>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <CertificateStatusBadge status={c.status} />
              </Table.Td>
              <Table.Td>
                <Code title={c.thumbprintSha1} style={{ whiteSpace: 'nowrap' }}>
                  {c.thumbprintSha1.slice(0, 8)}…
                </Code>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </ScrollArea>
  );
}

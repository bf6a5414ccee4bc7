import type { CertificateSort, CertificateStatus } from '@certdesk/shared/types';
import { Button, Group, Pagination, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconCertificate, IconSearch, IconUpload } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { EmptyState } from '../../../components/empty-state.js';
import { ErrorAlert } from '../../../components/error-alert.js';
import { PageHeader } from '../../../components/page-header.js';
import { PageLoader } from '../../../components/page-loader.js';
import { useExpiryThresholds } from '../../../lib/expiry-thresholds.js';
import { useCan } from '../../../lib/permissions.js';
import { PAGE_SIZES, positiveInt } from '../../../lib/search-params.js';
import { useCertificates } from '../api/get-certificates.js';
import { CertificatesTable } from './certificates-table.js';

const STATUSES: { value: CertificateStatus; label: string }[] = [
  { value: 'active', label: 'Active' },
  { value: 'available', label: 'Available' },
  { value: 'pending_key', label: 'Pending key' },
  { value: 'expired', label: 'Expired' },
  { value: 'superseded', label: 'Superseded' },
];
const SORTS: CertificateSort[] = [
  'commonName',
  'issuer',
  'notAfter',
  'daysLeft',
  'keyType',
  'status',
  'thumbprintSha1',
];

/** Search, filter, sort and page all live in the address and run on the server. */
export function CertificatesPage() {
  const [params, setParams] = useSearchParams();
  const canWrite = useCan('inventory:write');
  const q = params.get('q') ?? '';
  const statusParam = params.get('status');
  const status = STATUSES.some((s) => s.value === statusParam)
    ? (statusParam as CertificateStatus)
    : undefined;
  const sortParam = params.get('sort') as CertificateSort | null;
  const sort: CertificateSort = sortParam && SORTS.includes(sortParam) ? sortParam : 'notAfter';
  const order = params.get('order') === 'desc' ? 'desc' : 'asc';
  const size = PAGE_SIZES.includes(params.get('size') ?? '') ? Number(params.get('size')) : 50;
  const page = positiveInt(params.get('page'), 1);
  const thresholds = useExpiryThresholds();

  const [search, setSearch] = useState(q);
  const [debounced] = useDebouncedValue(search, 250);

  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next, { replace: true });
  };

  // Typing updates the address (and so the query) once the user pauses.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs only when the debounced text changes, not on every address change
  useEffect(() => {
    if (debounced.trim() !== q) update({ q: debounced.trim() || null, page: null });
  }, [debounced]);

  // The address changed from outside (the nav link, back button): show its search in the box.
  // biome-ignore lint/correctness/useExhaustiveDependencies: follows the address only; typing is handled above
  useEffect(() => {
    if (q !== debounced.trim()) setSearch(q);
  }, [q]);

  const list = useCertificates({
    q: q || undefined,
    status,
    sort,
    order,
    limit: size,
    offset: (page - 1) * size,
  });
  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / size));
  const first = total === 0 ? 0 : (page - 1) * size + 1;
  const last = Math.min(total, page * size);

  const onSort = (field: string) => {
    if (field === sort) update({ order: order === 'asc' ? 'desc' : 'asc', page: null });
    else update({ sort: field, order: null, page: null });
  };

  return (
    <>
      <PageHeader
        title="Certificates"
        description="Every certificate certdesk holds. Search by display name, host name, issuer, serial number, SHA-1 thumbprint or SHA-256 fingerprint."
        actions={
          canWrite ? (
            <Button component={Link} to="/import" leftSection={<IconUpload size={16} />}>
              Import
            </Button>
          ) : null
        }
      />
      <Paper withBorder radius="md" p="md">
        <Stack gap="md">
          <Group gap="sm" wrap="wrap" align="flex-end">
            <TextInput
              label="Search"
              description="A host name also finds the wildcard certificate covering it; thumbprints with or without colons or spaces."
              placeholder="Display name, www.example.com, issuer, serial, SHA-1 or SHA-256"
              leftSection={<IconSearch size={16} />}
              value={search}
              onChange={(e) => setSearch(e.currentTarget.value)}
              style={{ flex: '1 1 320px' }}
              data-testid="certificate-search"
            />
            <Select
              label="Status"
              placeholder="All statuses"
              clearable
              data={STATUSES}
              value={status ?? null}
              onChange={(value) => update({ status: value, page: null })}
              w={200}
              data-testid="status-filter"
            />
          </Group>
          {list.isPending ? (
            <PageLoader label="Loading certificates…" />
          ) : list.isError ? (
            <ErrorAlert error={list.error} title="Could not load the certificates" />
          ) : list.data.items.length === 0 ? (
            <EmptyState
              icon={<IconCertificate size={26} />}
              title={q || status ? 'No certificate matches' : 'No certificates yet'}
              description={
                q || status
                  ? 'Try part of a host name, the first characters of a thumbprint or serial number, or clear the filter.'
                  : 'Import what your certificate authority sent, or generate a CSR first.'
              }
            />
          ) : (
            <>
              <CertificatesTable
                items={list.data.items}
                sort={{ sort, order }}
                onSort={onSort}
                thresholds={thresholds}
              />
              <Group justify="space-between" wrap="wrap" gap="sm">
                <Text size="sm" c="dimmed" data-testid="certificates-range">
                  Showing {first}–{last} of {total} {total === 1 ? 'certificate' : 'certificates'}
                </Text>
                <Group gap="sm" wrap="wrap">
                  <Select
                    aria-label="Certificates per page"
                    data={PAGE_SIZES.map((s) => ({ value: s, label: `${s} per page` }))}
                    value={String(size)}
                    onChange={(value) => update({ size: value, page: null })}
                    w={150}
                    allowDeselect={false}
                  />
                  <Pagination
                    total={pages}
                    value={Math.min(page, pages)}
                    onChange={(p) => update({ page: p > 1 ? String(p) : null })}
                  />
                </Group>
              </Group>
            </>
          )}
        </Stack>
      </Paper>
    </>
  );
}

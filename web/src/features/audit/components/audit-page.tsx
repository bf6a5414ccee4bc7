import { Button, Group, Pagination, Paper, Select, Stack, Text } from '@mantine/core';
import { IconDownload, IconHistory } from '@tabler/icons-react';
import { useSearchParams } from 'react-router-dom';
import { EmptyState } from '../../../components/empty-state.js';
import { ErrorAlert } from '../../../components/error-alert.js';
import { PageHeader } from '../../../components/page-header.js';
import { PageLoader } from '../../../components/page-loader.js';
import { PAGE_SIZES, positiveInt } from '../../../lib/search-params.js';
import { auditCsvUrl } from '../api/export-audit-csv.js';
import { useAudit } from '../api/get-audit.js';
import { AuditFilter, type AuditFilters, isFiltered } from './audit-filter.js';
import { AuditTable } from './audit-table.js';

/** Filter and page live in the address, so a reload or a shared link shows the same rows. */
export function AuditPage() {
  const [params, setParams] = useSearchParams();
  const filters: AuditFilters = {
    action: params.get('action') ?? '',
    actor: params.get('actor') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  };
  // Only what is set goes to the server (an empty "from" is no bound, not a bad date).
  const query = {
    action: filters.action || undefined,
    actor: filters.actor || undefined,
    from: filters.from || undefined,
    to: filters.to || undefined,
  };
  const pageSize = PAGE_SIZES.includes(params.get('size') ?? '') ? Number(params.get('size')) : 50;
  const page = positiveInt(params.get('page'), 1);
  const audit = useAudit({ limit: pageSize, offset: (page - 1) * pageSize, ...query });
  const filtered = isFiltered(filters);

  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next);
  };

  const total = audit.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Who did what, when and from where: sign-ins, tokens, CSRs, certificates and server changes. Newest first."
        actions={
          <Button
            component="a"
            href={auditCsvUrl(query)}
            download
            variant="default"
            leftSection={<IconDownload size={16} />}
            data-testid="audit-export"
          >
            {filtered ? 'Export these entries (CSV)' : 'Export CSV'}
          </Button>
        }
      />
      <Paper withBorder radius="md" p="md">
        <Stack gap="md">
          <AuditFilter
            value={filters}
            seenActions={audit.data?.items.map((i) => i.action) ?? []}
            seenActors={audit.data?.items.flatMap((i) => (i.actor ? [i.actor] : [])) ?? []}
            onChange={(f) => update({ ...f, page: null })}
          />
          {audit.isPending ? (
            <PageLoader label="Loading the audit log…" />
          ) : audit.isError ? (
            <ErrorAlert error={audit.error} title="Could not load the audit log" />
          ) : audit.data.items.length === 0 ? (
            <EmptyState
              icon={<IconHistory size={26} />}
              title={
                filters.action
                  ? `No entries for “${filters.action}”`
                  : filtered
                    ? 'No entries match these filters'
                    : 'The audit log is empty'
              }
              description={
                filtered
                  ? 'Try a prefix ending in a dot (for example “auth.”), a wider date range, or clear the filter.'
                  : 'Entries appear here as soon as someone signs in or changes something.'
              }
            />
          ) : (
            <>
              <AuditTable items={audit.data.items} />
              <Group justify="space-between" wrap="wrap" gap="sm">
                <Text size="sm" c="dimmed" data-testid="audit-range">
                  Showing {first}–{last} of {total} {total === 1 ? 'entry' : 'entries'}
                </Text>
                <Group gap="sm" wrap="wrap">
                  <Select
                    aria-label="Entries per page"
                    data={PAGE_SIZES.map((s) => ({ value: s, label: `${s} per page` }))}
                    value={String(pageSize)}
                    onChange={(value) => update({ size: value, page: null })}
                    allowDeselect={false}
                    w={140}
                    size="xs"
                  />
                  <Pagination
                    total={pages}
                    value={Math.min(page, pages)}
                    onChange={(p) => update({ page: p > 1 ? String(p) : null })}
                    size="sm"
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

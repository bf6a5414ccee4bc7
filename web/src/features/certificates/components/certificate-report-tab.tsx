import type { ReportCheck } from '@certdesk/shared/types';
import { Stack, Text } from '@mantine/core';
import { CheckList } from '../../../components/check-list.js';

interface StoredReport {
  checks?: Partial<ReportCheck>[];
  dropped?: { file?: string; subject?: string; reason?: string }[];
}

/** The pre-flight report recorded when the certificate was imported. */
export function CertificateReportTab({ report }: { report: unknown }) {
  const r = (report && typeof report === 'object' ? report : {}) as StoredReport;
  const checks = Array.isArray(r.checks) ? r.checks : [];
  if (checks.length === 0) {
    return (
      <Text c="dimmed" size="sm">
        No import report was recorded for this certificate.
      </Text>
    );
  }
  const normalized: ReportCheck[] = checks.map((c, i) => ({
    id: (c.id ?? `check-${i}`) as ReportCheck['id'],
    title: c.title ?? String(c.id ?? 'Check'),
    status: c.status ?? 'warn',
    message: c.message ?? '',
    blocks: Boolean(c.blocks),
  }));
  return (
    <Stack gap="md" maw={760}>
      <Text size="sm" c="dimmed">
        The checks certdesk ran when this certificate was imported.
      </Text>
      <CheckList checks={normalized} />
      {Array.isArray(r.dropped) && r.dropped.length > 0 ? (
        <Stack gap={4}>
          <Text fw={600} size="sm">
            Left out of the chain
          </Text>
          {r.dropped.map((d) => (
            <Text key={`${d.file}-${d.subject}`} size="sm">
              {d.subject} ({d.file}): {d.reason}
            </Text>
          ))}
        </Stack>
      ) : null}
    </Stack>
  );
}

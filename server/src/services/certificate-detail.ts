import { X509Certificate } from 'node:crypto';
import type { CertificateDetail, CertificateSummary, CertificateVersionRef } from '@certdesk/shared';
import { describeCertificate, describeChain, renewUrl } from '../cert/describe.js';
import { AppError } from '../errors.js';
import type { AcmeCertificateStore } from '../store/acme-certificates.js';
import type { CertificateQueries } from '../store/certificate-queries.js';
import type { CertificateStore } from '../store/certificates.js';
import type { CertificateLifecycle } from './certificate-lifecycle.js';

/** Renewals a year apart: 50 versions is half a century of history. */
const MAX_HISTORY = 50;

function versionRef(s: CertificateSummary): CertificateVersionRef {
  return {
    id: s.id,
    commonName: s.commonName,
    notBefore: s.notBefore,
    notAfter: s.notAfter,
    status: s.status,
    expired: s.expired,
    hasKey: s.hasKey,
    supersededById: s.supersededById,
  };
}

/** GET /api/certificates/:id: the stored row, decoded, with its chain, versions and usages. */
export function certificateDetail(
  deps: {
    certificates: CertificateStore;
    queries: CertificateQueries;
    lifecycle: CertificateLifecycle;
    acmeCertificates?: AcmeCertificateStore;
  },
  id: number,
  now = new Date(),
): CertificateDetail {
  const row = deps.certificates.get(id);
  const summary = deps.queries.summary(id, now);
  if (!row || !summary) throw new AppError('CERTIFICATE_NOT_FOUND');
  const view = describeCertificate(row.cert_der);
  const leaf = new X509Certificate(row.cert_der);
  const chainPems = JSON.parse(row.chain_pem) as string[];
  const intermediates = chainPems.map((p) => new X509Certificate(p));
  const root = row.root_pem ? new X509Certificate(row.root_pem) : null;
  const load = (otherId: number | null) =>
    otherId === null ? undefined : deps.queries.summary(otherId, now);
  const ref = (otherId: number | null): CertificateVersionRef | null => {
    const s = load(otherId);
    return s ? versionRef(s) : null;
  };
  // Back along previousVersion; bounded, and a loop in stored links (never written, but cheap to guard) ends it.
  const versionHistory: CertificateVersionRef[] = [];
  const seen = new Set([id]);
  for (let s = load(summary.previousVersionId); s && !seen.has(s.id); s = load(s.previousVersionId)) {
    if (versionHistory.length >= MAX_HISTORY) break;
    seen.add(s.id);
    versionHistory.push(versionRef(s));
  }
  const usages = deps.lifecycle.usages(id);
  const settings = deps.lifecycle.settings();
  const nl = (s: string) => (s.endsWith('\n') ? s : `${s}\n`);
  const certPem = nl(leaf.toString());
  const chainPem = chainPems.map(nl).join('');
  const acme = deps.acmeCertificates?.get(id);
  let report: unknown = null;
  try {
    report = row.report_json ? JSON.parse(row.report_json) : null;
  } catch {
    report = null;
  }
  return {
    ...summary,
    ...view,
    chain: describeChain(leaf, intermediates, root, now),
    report,
    pem: { cert: certPem, chain: chainPem, fullchain: certPem + chainPem },
    previousVersion: ref(row.previous_version_id),
    versionHistory,
    nextVersions: deps.queries
      .nextVersionIds(id)
      .map((n) => ref(n))
      .filter((r): r is CertificateVersionRef => r !== null),
    supersededBy: ref(row.superseded_by_id),
    usedBy: { active: usages.active, httpsEnabled: settings.httpsEnabled, bindings: usages.bindings },
    renewUrl: renewUrl({
      id,
      subjectFields: view.subjectFields,
      subjectAltNames: summary.subjectAltNames,
      keyType: summary.keyType,
      keySize: summary.keySize,
      curve: summary.curve,
    }),
    source: acme ? 'acme' : 'import',
    ...(acme
      ? {
          acme: {
            accountId: acme.account_id,
            orderId: acme.order_id,
            nextCheckAt: acme.next_check_at,
            attempts: acme.attempts,
            lastError: acme.last_error,
            ariWindow: acme.ari_start && acme.ari_end ? { start: acme.ari_start, end: acme.ari_end } : null,
          },
        }
      : {}),
  };
}

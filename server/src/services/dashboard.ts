import type { Dashboard } from '@certdesk/shared';
import type { CertificateQueries } from '../store/certificate-queries.js';
import type { CsrStore } from '../store/csrs.js';
import type { DeployTargetStore } from '../store/deploy-targets.js';
import type { SettingsService } from './settings-service.js';

const DAY_MS = 86_400_000;

export interface DashboardDeps {
  certificateQueries: CertificateQueries;
  csrs: CsrStore;
  settings: SettingsService;
  deployTargets: DeployTargetStore;
}

/** Expiry at a glance (PRODUCT.md §7): what GET /api/dashboard answers. */
export function dashboard(deps: DashboardDeps, now = new Date()): Dashboard {
  const queries = deps.certificateQueries;
  const thresholds = deps.settings.expiryThresholds();
  const settings = deps.settings.serverSettings();
  const largest = Math.max(...thresholds);
  const soon = queries.expiringBetween(now, new Date(now.getTime() + largest * DAY_MS), 50);
  return {
    now: now.toISOString(),
    thresholds,
    active:
      settings.activeCertificateId === null
        ? null
        : (queries.summary(settings.activeCertificateId, now) ?? null),
    httpsEnabled: settings.httpsEnabled,
    counts: queries.counts(now),
    expiringSoon: soon.map((c) => ({
      ...c,
      // The tightest threshold the certificate has crossed: 5 days left with [30, 14, 7] → 7.
      threshold: Math.min(...thresholds.filter((t) => c.daysLeft < t)),
    })),
    expired: queries.expired(now, 20),
    pendingCsrs: deps.csrs.pendingUnlinked(100).map((r) => ({
      id: r.id,
      commonName: r.common_name,
      createdAt: r.created_at,
      renewsCertificateId: r.renews_certificate_id,
    })),
    targets: deps.deployTargets.counts(),
  };
}

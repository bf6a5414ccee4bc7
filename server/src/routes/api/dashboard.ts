import { Dashboard, ExpirySettings } from '@certdesk/shared';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Db } from '../../db/open.js';
import { CertificateQueries } from '../../store/certificate-queries.js';
import { defaultServerSettings, readServerSettings } from '../../store/server-settings.js';
import { errorResponses } from './responses.js';

const DAY_MS = 86_400_000;
const KEY = 'expiry_thresholds';
export const DEFAULT_THRESHOLDS = [30, 14, 7];

export function readThresholds(db: Db): number[] {
  const row = db.prepare('SELECT value FROM kv WHERE key = ?').get(KEY) as { value: string } | undefined;
  if (!row) return DEFAULT_THRESHOLDS;
  const v = JSON.parse(row.value) as unknown;
  return Array.isArray(v) && v.length > 0 && v.every((n) => Number.isInteger(n) && n > 0)
    ? (v as number[])
    : DEFAULT_THRESHOLDS;
}

/** Largest first, no duplicates: [7, 30, 14, 30] → [30, 14, 7]. */
export function normalizeThresholds(values: number[]): number[] {
  return [...new Set(values)].sort((a, b) => b - a);
}

/** Expiry at a glance (PRODUCT.md §7): GET /api/dashboard and the warning thresholds. */
const dashboard: FastifyPluginAsyncTypebox = async (fastify) => {
  const queries = new CertificateQueries(fastify.db);

  fastify.get(
    '/dashboard',
    { schema: { tags: ['dashboard'], response: { 200: Dashboard, ...errorResponses() } } },
    async () => {
      const now = new Date();
      const thresholds = readThresholds(fastify.db);
      const settings = readServerSettings(
        fastify.db,
        defaultServerSettings(fastify.config.httpPort, fastify.config.httpsPort),
      );
      const largest = Math.max(...thresholds);
      const soon = queries.expiringBetween(now, new Date(now.getTime() + largest * DAY_MS), 50);
      const pendingCsrs = fastify.db
        .prepare(
          `SELECT id, common_name, created_at, renews_certificate_id FROM csrs
         WHERE status = 'pending' AND certificate_id IS NULL ORDER BY id DESC LIMIT 100`,
        )
        .all() as {
        id: number;
        common_name: string;
        created_at: string;
        renews_certificate_id: number | null;
      }[];
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
        pendingCsrs: pendingCsrs.map((r) => ({
          id: r.id,
          commonName: r.common_name,
          createdAt: r.created_at,
          renewsCertificateId: r.renews_certificate_id,
        })),
      };
    },
  );

  fastify.get(
    '/settings/expiry',
    { schema: { tags: ['settings'], response: { 200: ExpirySettings, ...errorResponses() } } },
    async () => ({ thresholds: readThresholds(fastify.db) }),
  );

  fastify.put(
    '/settings/expiry',
    {
      schema: {
        tags: ['settings'],
        description: 'Warning thresholds in days (1–3650, up to 10 of them). Stored largest first.',
        body: ExpirySettings,
        response: { 200: ExpirySettings, ...errorResponses(400) },
      },
    },
    async (request) => {
      const before = readThresholds(fastify.db);
      const thresholds = normalizeThresholds(request.body.thresholds);
      fastify.db
        .prepare(
          'INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
        )
        .run(KEY, JSON.stringify(thresholds));
      fastify.audit.record(request, { action: 'settings.expiry', details: { before, after: thresholds } });
      return { thresholds };
    },
  );
};

export default dashboard;

/**
 * Reminder thresholds for certificates renewed by hand (PRODUCT.md §12): a threshold is a share of the
 * certificate's lifetime left, a number of days left, or both. With both it is crossed when both hold —
 * the later moment — so one list suits every lifetime: "30% / 30 days" reminds a 47-day certificate 14
 * days ahead (30% of 47) and a 397-day one 30 days ahead (not 119). Pure: no clock, no database.
 */
export interface ReminderThreshold {
  percent?: number;
  days?: number;
}

export const DAY_MS = 86_400_000;

/**
 * Defaults: 397-day certificates get the classic 30/14/7 days; 200-day ones 30/14/6; 100-day ones
 * 30/10/3; 47-day ones 14/4.7/1.4 days — the last still leaves a working day for a vendor renewal.
 */
export const DEFAULT_REMINDER_THRESHOLDS: readonly ReminderThreshold[] = [
  { percent: 30, days: 30 },
  { percent: 10, days: 14 },
  { percent: 3, days: 7 },
];

/** The id recorded per (certificate, threshold): "30%+30d", "14d", "10%". Expiry itself is "expired". */
export function thresholdId(t: ReminderThreshold): string {
  return [t.percent === undefined ? null : `${t.percent}%`, t.days === undefined ? null : `${t.days}d`]
    .filter((x) => x !== null)
    .join('+');
}

export const EXPIRED_THRESHOLD = 'expired';

export function thresholdLabel(t: ReminderThreshold): string {
  const days = t.days === undefined ? null : `${t.days} day${t.days === 1 ? '' : 's'}`;
  const pct = t.percent === undefined ? null : `${t.percent}% of the lifetime`;
  if (days && pct) return `${pct} or ${days} left, whichever comes later`;
  return `${days ?? pct} left`;
}

/** How long before notAfter the threshold is crossed, for a certificate with this lifetime. */
export function leadTimeMs(t: ReminderThreshold, lifetimeMs: number): number {
  const byPercent = t.percent === undefined ? Number.POSITIVE_INFINITY : (lifetimeMs * t.percent) / 100;
  const byDays = t.days === undefined ? Number.POSITIVE_INFINITY : t.days * DAY_MS;
  return Math.max(0, Math.min(byPercent, byDays));
}

/** A sentence saying what is wrong with a list of thresholds, or null when it is usable. */
export function thresholdsProblem(list: readonly ReminderThreshold[]): string | null {
  if (list.length === 0) return 'Give at least one reminder threshold.';
  if (list.length > 10) return 'Give at most 10 reminder thresholds.';
  for (const t of list) {
    if (t.percent === undefined && t.days === undefined)
      return 'A threshold needs days, a percentage, or both.';
    if (t.percent !== undefined && !(Number.isFinite(t.percent) && t.percent > 0 && t.percent <= 100))
      return `${t.percent}% is not a share of the lifetime (more than 0, at most 100).`;
    if (t.days !== undefined && !(Number.isInteger(t.days) && t.days >= 1 && t.days <= 3650))
      return `${t.days} days is not a whole number of days from 1 to 3650.`;
  }
  const ids = list.map(thresholdId);
  if (new Set(ids).size !== ids.length) return 'The same threshold is listed twice.';
  return null;
}

/**
 * How far ahead of now a certificate can cross a threshold: the largest day count, or null (unbounded)
 * when a threshold is a bare percentage (a 10-year certificate's 30% is three years).
 */
export function lookaheadMs(list: readonly ReminderThreshold[]): number | null {
  if (list.some((t) => t.days === undefined)) return null;
  return Math.max(...list.map((t) => (t.days ?? 0) * DAY_MS));
}

export interface Crossing {
  threshold: string;
  label: string;
  crossedAt: number;
  /** Lead time before notAfter: the smallest is the tightest reminder. */
  leadMs: number;
}

/**
 * The thresholds this certificate has crossed at `now`, loosest first; empty once expired (expiry is its
 * own notification) or before the first one.
 */
export function crossings(
  list: readonly ReminderThreshold[],
  notBefore: number,
  notAfter: number,
  now: number,
): Crossing[] {
  if (now >= notAfter) return [];
  const lifetime = Math.max(0, notAfter - notBefore);
  return list
    .map((t) => {
      const leadMs = leadTimeMs(t, lifetime);
      return { threshold: thresholdId(t), label: thresholdLabel(t), crossedAt: notAfter - leadMs, leadMs };
    })
    .filter((c) => c.crossedAt <= now)
    .sort((a, b) => b.leadMs - a.leadMs);
}

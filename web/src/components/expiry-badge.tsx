import { Badge, Tooltip } from '@mantine/core';

/**
 * Expiry in words as well as colour (never colour alone): "Expired", "Expires today",
 * "Expires in 5 days" inside the warning window, "200 days left" beyond it.
 */
export function expiryLabel(daysLeft: number, expired: boolean, warnDays = 30): string {
  if (expired) return 'Expired';
  if (daysLeft <= 0) return 'Expires today';
  if (daysLeft <= warnDays) return `Expires in ${daysLeft} ${daysLeft === 1 ? 'day' : 'days'}`;
  return `${daysLeft} days left`;
}

/** Red when expired or inside the tightest threshold, orange inside the middle one, yellow inside the widest. */
export function expiryColor(daysLeft: number, expired: boolean, thresholds: number[] = [30, 14, 7]): string {
  const sorted = [...thresholds].sort((a, b) => a - b);
  if (expired || daysLeft < (sorted[0] ?? 7)) return 'red';
  if (sorted.length > 1 && daysLeft < (sorted[1] ?? 14)) return 'orange';
  if (daysLeft < (sorted[sorted.length - 1] ?? 30)) return 'yellow';
  return 'teal';
}

interface ExpiryBadgeProps {
  daysLeft: number;
  expired: boolean;
  notAfter?: string;
  /** Warning thresholds in days (GET /api/settings/expiry); 30/14/7 by default. */
  thresholds?: number[];
}

export function ExpiryBadge({ daysLeft, expired, notAfter, thresholds = [30, 14, 7] }: ExpiryBadgeProps) {
  const widest = Math.max(...thresholds);
  const label = expiryLabel(daysLeft, expired, widest);
  const badge = (
    <Badge
      variant={expired ? 'filled' : 'light'}
      color={expiryColor(daysLeft, expired, thresholds)}
      radius="sm"
      tt="none"
      // Never squeezed into "89 days l…" by a narrow table cell.
      style={{ minWidth: 'max-content' }}
      data-testid="expiry-badge"
      data-expired={expired ? 'true' : 'false'}
    >
      {label}
    </Badge>
  );
  if (!notAfter) return badge;
  const tip = expired
    ? `Expired ${-daysLeft} ${-daysLeft === 1 ? 'day' : 'days'} ago (${new Date(notAfter).toUTCString()})`
    : `Valid until ${new Date(notAfter).toUTCString()}`;
  return (
    <Tooltip label={tip} withArrow>
      {badge}
    </Tooltip>
  );
}

import { Badge, Tooltip } from '@mantine/core';

/**
 * Expiry in words as well as colour (never colour alone): "Expired", "Expires today",
 * "Expires in 5 days" inside the warning window, "200 days left" beyond it (or while the window is unknown).
 */
export function expiryLabel(daysLeft: number, expired: boolean, warnDays?: number): string {
  if (expired) return 'Expired';
  if (daysLeft <= 0) return 'Expires today';
  if (warnDays !== undefined && daysLeft <= warnDays)
    return `Expires in ${daysLeft} ${daysLeft === 1 ? 'day' : 'days'}`;
  return `${daysLeft} days left`;
}

/**
 * Red when expired or inside the tightest threshold, orange inside the middle one, yellow inside the widest;
 * grey while the server's thresholds have not arrived.
 */
export function expiryColor(
  daysLeft: number,
  expired: boolean,
  thresholds: readonly number[] | undefined,
): string {
  if (expired) return 'red';
  if (!thresholds || thresholds.length === 0) return 'gray';
  const sorted = [...thresholds].sort((a, b) => a - b);
  const tightest = sorted[0] as number;
  const widest = sorted[sorted.length - 1] as number;
  if (daysLeft < tightest) return 'red';
  if (sorted.length > 1 && daysLeft < (sorted[1] as number)) return 'orange';
  if (daysLeft < widest) return 'yellow';
  return 'teal';
}

interface ExpiryBadgeProps {
  daysLeft: number;
  expired: boolean;
  notAfter?: string;
  /** The server's warning thresholds in days (GET /api/settings/expiry); undefined while loading. */
  thresholds: readonly number[] | undefined;
}

export function ExpiryBadge({ daysLeft, expired, notAfter, thresholds }: ExpiryBadgeProps) {
  const widest = thresholds?.length ? Math.max(...thresholds) : undefined;
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

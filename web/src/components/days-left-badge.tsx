import { Badge } from '@mantine/core';

/** Expiry at a glance: red once expired or under 14 days, orange under 30, green beyond. */
export function daysLeftColor(daysLeft: number): string {
  if (daysLeft < 14) return 'red';
  if (daysLeft < 30) return 'orange';
  return 'teal';
}

export function daysLeftLabel(daysLeft: number): string {
  if (daysLeft < 0) return `Expired ${-daysLeft} ${-daysLeft === 1 ? 'day' : 'days'} ago`;
  if (daysLeft === 0) return 'Expires today';
  return `${daysLeft} ${daysLeft === 1 ? 'day' : 'days'} left`;
}

export function DaysLeftBadge({ daysLeft }: { daysLeft: number }) {
  return (
    <Badge variant="light" color={daysLeftColor(daysLeft)} radius="sm" tt="none">
      {daysLeftLabel(daysLeft)}
    </Badge>
  );
}

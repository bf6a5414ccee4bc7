/** Dates as an administrator reads them: local time, unambiguous, with seconds for audit trails. */
const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

const timeOnly = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

const dateOnly = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: '2-digit' });

/** SQLite's `datetime('now')` has no zone marker but is UTC; treat it so. */
function parse(value: string): Date | null {
  const normalized = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)
    ? `${value.replace(' ', 'T')}Z`
    : value;
  const date = new Date(normalized);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatDateTime(value: string | null | undefined, empty = '—'): string {
  if (!value) return empty;
  const date = parse(value);
  return date ? dateTime.format(date) : value;
}

export function formatDate(value: string | null | undefined, empty = '—'): string {
  if (!value) return empty;
  const date = parse(value);
  return date ? dateOnly.format(date) : value;
}

export function formatTime(value: string | null | undefined, empty = '—'): string {
  if (!value) return empty;
  const date = parse(value);
  return date ? timeOnly.format(date) : value;
}

/** "3 minutes ago", "in 2 days": for last-used and expiry hints next to the exact date. */
export function formatRelative(value: string | null | undefined, now = Date.now()): string {
  if (!value) return '';
  const date = parse(value);
  if (!date) return '';
  const seconds = Math.round((date.getTime() - now) / 1000);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['year', 31_536_000],
    ['month', 2_592_000],
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.trunc(seconds / size), unit);
  }
  return rtf.format(seconds, 'second');
}

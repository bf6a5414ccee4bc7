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

// Bidi overrides/isolates, zero-width characters and controls (but tab and line breaks): invisible, and some
// reorder what follows ("evil\u202Egpj.example.com" reads "evilmoc.elpmaxe.jpg"). The API already marks
// them; this covers any name that reaches the page another way.
const HIDDEN_RANGES =
  '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u00AD\\u034F\\u061C\\u115F\\u1160\\u17B4\\u17B5\\u180E\\u200B-\\u200F\\u2028-\\u202E\\u2060-\\u206F\\u3164\\uFEFF\\uFFA0\\uFFF9-\\uFFFB\\u{E0000}-\\u{E007F}';
const HIDDEN = new RegExp(`[${HIDDEN_RANGES}]`, 'gu');

/** Certificate text as it may be shown: U+202E becomes the visible "<U+202E>", as the API answers it. */
export function showHiddenCharacters(text: string): string {
  return text.replace(
    HIDDEN,
    (ch) => `<U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}>`,
  );
}

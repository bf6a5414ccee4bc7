import { parseArgs } from 'node:util';
import { CERTIFICATE_SORTS, type CertificateStatus, type CertificateSummary } from '@certdesk/shared';
import {
  type Command,
  openStores,
  parseCommandArgs,
  print,
  usageError,
  wantsJson,
  withExitCodes,
} from './common.js';

/** `certdesk list`: the inventory query of GET /api/certificates, as a table or its JSON. */

const STATUSES: CertificateStatus[] = ['active', 'available', 'pending_key', 'expired', 'superseded'];
const PAGE = 500;
/** A bound on what one run prints (the inventory is tested at 10,000). */
const MAX_ROWS = 100_000;

const USAGE = `[options]

Options:
  --status S       only this status: ${STATUSES.join(', ')}
  --search Q       CN, SAN or issuer substring; serial or SHA-1 thumbprint prefix; or an id
  --sort KEY       ${CERTIFICATE_SORTS.join(', ')} (default notAfter)
  --desc           sort descending
  --limit N        print at most N certificates (default: all)
  --json           print { "items": [...], "total": N } as GET /api/certificates answers

Example: certdesk list --status active`;

const OPTIONS = {
  status: { type: 'string' },
  search: { type: 'string' },
  sort: { type: 'string' },
  desc: { type: 'boolean', default: false },
  limit: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

function clip(s: string, width: number): string {
  return s.length <= width ? s : `${s.slice(0, width - 1)}…`;
}

/** "a.example, b.example +3": the first names, and how many more. */
export function shortSans(sans: string[], width = 40): string {
  let out = '';
  let shown = 0;
  for (const s of sans) {
    const next = out ? `${out}, ${s}` : s;
    const more = sans.length - shown - 1;
    if (shown > 0 && next.length + (more > 0 ? ` +${more}`.length : 0) > width) break;
    out = next;
    shown++;
  }
  const rest = sans.length - shown;
  return clip(rest > 0 ? `${out} +${rest}` : out, width);
}

function daysText(c: CertificateSummary): string {
  if (!c.expired) return String(c.daysLeft);
  // Whole days since expiry (daysLeft floors, so it reads one day more than has passed).
  const ago = Math.floor((Date.now() - Date.parse(c.notAfter)) / 86_400_000);
  return `EXPIRED ${ago < 1 ? 'today' : `${ago}d ago`}`;
}

/** Status, with EXPIRED spelled out even when precedence says active or superseded. */
function statusText(c: CertificateSummary): string {
  if (c.status === 'expired') return 'EXPIRED';
  return c.expired ? `${c.status} (EXPIRED)` : c.status;
}

export function renderTable(items: CertificateSummary[]): string[] {
  const header = ['ID', 'COMMON NAME', 'SANS', 'NOT AFTER', 'DAYS LEFT', 'STATUS', 'SHA-1 THUMBPRINT'];
  const rows = items.map((c) => [
    String(c.id),
    clip(c.commonName ?? c.name ?? c.subject, 40),
    shortSans(c.subjectAltNames),
    c.notAfter.slice(0, 10),
    daysText(c),
    statusText(c),
    c.thumbprintSha1,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

export const listCommand: Command = {
  summary: 'List the certificates: id, CN, SANs, expiry, days left, status, SHA-1 thumbprint.',
  usage: USAGE,
  run: (args, config) =>
    withExitCodes('list', wantsJson(args), async () => {
      const { values } = parseCommandArgs(args, () =>
        parseArgs({ args, options: OPTIONS, allowPositionals: false, strict: true }),
      );
      const status = values.status as CertificateStatus | undefined;
      if (status !== undefined && !STATUSES.includes(status)) {
        throw usageError(`--status must be one of ${STATUSES.join(', ')}.`, '--status');
      }
      if (values.sort !== undefined && !(CERTIFICATE_SORTS as readonly string[]).includes(values.sort)) {
        throw usageError(`--sort must be one of ${CERTIFICATE_SORTS.join(', ')}.`, '--sort');
      }
      let max = MAX_ROWS;
      if (values.limit !== undefined) {
        if (!/^\d{1,6}$/.test(values.limit) || Number(values.limit) < 1)
          throw usageError('--limit must be a positive number.', '--limit');
        max = Math.min(Number(values.limit), MAX_ROWS);
      }
      const stores = openStores(config, { keys: false });
      try {
        const queries = stores.certificateQueries;
        const now = new Date();
        const items: CertificateSummary[] = [];
        let total = 0;
        // Pages of the same query the HTTP list uses; bounded by MAX_ROWS / PAGE iterations.
        for (let offset = 0; offset < max; offset += PAGE) {
          const page = queries.list({
            q: values.search,
            status,
            sort: values.sort,
            order: values.desc ? 'desc' : 'asc',
            limit: Math.min(PAGE, max - offset),
            offset,
            now,
          });
          total = page.total;
          items.push(...page.items);
          if (page.items.length < PAGE || items.length >= total) break;
        }
        if (values.json) {
          print(JSON.stringify({ items, total }, null, 2));
          return 0;
        }
        if (items.length === 0) {
          print(
            total === 0 && !values.search && !status ? 'No certificates yet.' : 'No certificate matches.',
          );
          return 0;
        }
        for (const l of renderTable(items)) print(l);
        const expired = items.filter((c) => c.expired).length;
        print('');
        print(
          `${items.length === total ? `${total}` : `${items.length} of ${total}`} certificate${total === 1 ? '' : 's'}` +
            (expired ? `, ${expired} EXPIRED` : '') +
            '.',
        );
        return 0;
      } finally {
        stores.close();
      }
    }),
};

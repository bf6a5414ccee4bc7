import type { PendingChange } from '@certdesk/shared';
import type { StoredPendingChange } from './pending.js';

/**
 * The pending change as the UI shows it, with the address to confirm from: the first server name (what
 * clients type) or the host this request came in on, and the port actually bound for the new listener.
 */
export function pendingChangeView(
  pending: StoredPendingChange,
  bound: { http: number | null; https: number | null },
  requestHostname: string,
): PendingChange {
  const over = pending.settings.httpsEnabled ? 'https' : 'http';
  const port =
    (over === 'https' ? bound.https : bound.http) ??
    (over === 'https' ? pending.settings.httpsPort : pending.settings.httpPort);
  const host = pending.settings.serverNames[0] ?? requestHostname.replace(/:\d+$/, '');
  const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return {
    createdAt: pending.createdAt,
    expiresAt: pending.expiresAt,
    settings: pending.settings,
    changes: pending.changes,
    confirmUrl: `${over}://${hostPart}:${port}/settings?confirm=1`,
    confirmOver: over,
  };
}

/** The same path on the HTTPS port and the host the client asked for (`/api/health` is never redirected). */
export function redirectLocation(hostHeader: string, httpsPort: number, url: string): string | null {
  if (url === '/api/health' || url.startsWith('/api/health?')) return null;
  const host = hostHeader.startsWith('[')
    ? hostHeader.slice(0, hostHeader.indexOf(']') + 1)
    : hostHeader.replace(/:\d*$/, '');
  return `https://${host}${httpsPort === 443 ? '' : `:${httpsPort}`}${url}`;
}

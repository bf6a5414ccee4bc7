import type { ServerSettings } from '../store/server-settings.js';

/**
 * The console's address as administrators reach it (scheme://host[:port]), for links in notifications:
 * the first server name, else the bound host unless it is a wildcard; null when neither says it.
 */
export function consoleUrl(boundHost: string, s: ServerSettings): string | null {
  const wildcard = boundHost === '0.0.0.0' || boundHost === '::';
  const host = s.serverNames[0] ?? (wildcard ? null : boundHost);
  if (!host) return null;
  const [scheme, port, usual] = s.httpsEnabled ? ['https', s.httpsPort, 443] : ['http', s.httpPort, 80];
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}${port === usual ? '' : `:${port}`}`;
}

import { HSTS_VALUE } from './options.js';

/** What the HTTP listener knows when it decides whether to send a request to HTTPS. */
export interface RedirectPolicy {
  /** HTTPS on and confirmed, redirect switched on, and the port HTTPS is actually bound to. */
  active: boolean;
  httpsPort: number | null;
  serverNames: string[];
  /** CERTDESK_HOST, the address the listeners bind. */
  listenHost: string;
}

export interface PlainRequest {
  method: string;
  url: string;
  hostHeader: string | undefined;
  /** The server's own address this connection arrived on (one of the machine's addresses). */
  localAddress: string | undefined;
}

export interface Redirect {
  status: 301 | 308;
  location: string;
}

/** The same path on the HTTPS port and the host the client asked for (`/api/health` is never redirected). */
export function redirectFor(policy: RedirectPolicy, request: PlainRequest): Redirect | null {
  if (!policy.active || policy.httpsPort === null) return null;
  const { url } = request;
  if (url === '/api/health' || url.startsWith('/api/health?')) return null;
  const hostHeader = request.hostHeader ?? policy.listenHost;
  const host = hostHeader.startsWith('[')
    ? hostHeader.slice(0, hostHeader.indexOf(']') + 1)
    : hostHeader.replace(/:\d*$/, '');
  return {
    status: request.method === 'GET' || request.method === 'HEAD' ? 301 : 308,
    location: `https://${host}${policy.httpsPort === 443 ? '' : `:${policy.httpsPort}`}${url}`,
  };
}

/** Sent on HTTPS answers once HTTPS is confirmed, never over plain HTTP (RFC 6797 8.1). */
export function hstsFor(confirmed: boolean, encrypted: boolean): string | null {
  return confirmed && encrypted ? HSTS_VALUE : null;
}

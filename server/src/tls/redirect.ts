import net from 'node:net';
import { AppError } from '../errors.js';
import { HSTS_VALUE } from './options.js';

/** HTTP-01 answers must stay on plain HTTP even while HTTPS redirects (API.md, ACME). */
export const ACME_CHALLENGE_PREFIX = '/.well-known/acme-challenge/';

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
  status: 302 | 307;
  location: string;
}

const NEVER_REDIRECTED = ['/api/health'];
const WILDCARD_ADDRESSES = new Set(['', '0.0.0.0', '::']);
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

/**
 * Where a plain HTTP request goes instead, or null to serve it here.
 *
 * The redirect is temporary (302, or 307 so a POST keeps its method and body) and sent with
 * `Cache-Control: no-store`: after `certdesk reset-https` the browser must come back to HTTP, and a
 * cached 301 would keep sending it to an HTTPS port that no longer answers.
 *
 * The Location never echoes an arbitrary Host header. A host this server is known by (a configured
 * server name, the listen address, the address the connection arrived on, or a loopback form) keeps
 * its name: the session cookie is bound to it and the admin chose it. Any other host goes to the first
 * configured server name, the one the admin declared clients use (an alias or a bare IP the admin typed
 * still lands on the console, as with a canonical-name redirect in nginx). With no server names there
 * is no name to vouch for, so the answer is a 400 saying what to do instead of a redirect anywhere.
 */
export function redirectFor(policy: RedirectPolicy, request: PlainRequest): Redirect | null {
  if (!policy.active || policy.httpsPort === null) return null;
  const path = request.url.split('?')[0] ?? '';
  if (NEVER_REDIRECTED.includes(path) || path.startsWith(ACME_CHALLENGE_PREFIX)) return null;
  const requested = hostName(request.hostHeader);
  const known = knownHosts(policy, request.localAddress);
  const host = requested !== null && known.has(requested) ? requested : policy.serverNames[0];
  if (host === undefined) {
    const address = hostPart(unmapped(request.localAddress) ?? 'localhost');
    throw new AppError(
      'UNKNOWN_HOST',
      `HTTPS is on and this host name is not one of the server names, so there is nowhere safe to redirect to. Open https://${address}:${policy.httpsPort}/ or add the name to the server names in Settings.`,
    );
  }
  // An absolute-form request target ("GET http://other/ HTTP/1.1") is not a path on this server.
  const target = request.url.startsWith('/') ? request.url : '/';
  const port = policy.httpsPort === 443 ? '' : `:${policy.httpsPort}`;
  return {
    status: request.method === 'GET' || request.method === 'HEAD' ? 302 : 307,
    location: `https://${hostPart(host)}${port}${target}`,
  };
}

/** Sent on HTTPS answers once HTTPS is confirmed, never over plain HTTP (RFC 6797 8.1). */
export function hstsFor(confirmed: boolean, encrypted: boolean): string | null {
  return confirmed && encrypted ? HSTS_VALUE : null;
}

function knownHosts(policy: RedirectPolicy, localAddress: string | undefined): Set<string> {
  const known = new Set([...policy.serverNames, ...LOOPBACK_NAMES]);
  const listen = policy.listenHost.toLowerCase();
  if (!WILDCARD_ADDRESSES.has(listen)) known.add(listen);
  const local = unmapped(localAddress);
  if (local) known.add(local.toLowerCase());
  return known;
}

/** The host of a Host header, lower case, without port, brackets or trailing dot; null when malformed. */
export function hostName(header: string | undefined): string | null {
  if (!header) return null;
  const value = header.trim().toLowerCase();
  let host: string;
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    if (end < 0) return null;
    host = value.slice(1, end);
    if (!net.isIPv6(host)) return null;
  } else {
    const colon = value.indexOf(':');
    if (colon !== value.lastIndexOf(':')) return null;
    host = colon < 0 ? value : value.slice(0, colon);
  }
  host = host.replace(/\.$/, '');
  return host === '' ? null : host;
}

/** `::ffff:10.0.0.5` (an IPv4 client on a dual-stack socket) as the address the admin typed. */
function unmapped(address: string | undefined): string | undefined {
  return address?.startsWith('::ffff:') && net.isIPv4(address.slice(7)) ? address.slice(7) : address;
}

function hostPart(host: string): string {
  return net.isIPv6(host) ? `[${host}]` : host;
}

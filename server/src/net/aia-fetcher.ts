import dns from 'node:dns/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import type { IssuerFetcher } from '../cert/aia.js';
import { canonicalAddress, classifyAddress, isLoopback } from './address-policy.js';

/**
 * AIA "CA Issuers" downloads (RFC 5280 4.2.2.1). The URL comes from a certificate anyone can forge,
 * so the console must not become a scanner of the networks it sits in: plain HTTP GET only, no user
 * info, ports 80 and 8080 unless configured, no redirects, and the host is resolved once and every
 * address checked before connecting to exactly that address (a second lookup could answer differently:
 * DNS rebinding). Failures are plain errors: callers turn them into one neutral note, so the report
 * says nothing about what answered, refused or timed out inside the network.
 */

export const AIA_FETCH_LIMITS = { timeoutMs: 5000, maxBytes: 1024 * 1024 };
export const DEFAULT_AIA_PORTS: readonly number[] = [80, 8080];

export interface AiaFetchPolicy {
  /** Server setting `aiaAllowPrivate`: loopback, RFC 1918, CGNAT and ULA addresses may be fetched. */
  allowPrivate: boolean;
  /** Ports a CA Issuers URL may name. */
  ports: readonly number[];
  /** Ports this console listens on: never fetched on its own addresses, whatever the settings. */
  ownPorts: () => readonly (number | null)[];
  timeoutMs?: number;
  maxBytes?: number;
}

export class AiaFetchRefused extends Error {}

interface Target {
  url: URL;
  port: number;
  address: string;
  family: 4 | 6;
}

function ownAddresses(): Set<string> {
  const out = new Set<string>();
  for (const list of Object.values(os.networkInterfaces()))
    for (const a of list ?? []) out.add(canonicalAddress(a.address.replace(/%.*$/, '')));
  return out;
}

function parse(raw: string, policy: AiaFetchPolicy): { url: URL; host: string; port: number } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AiaFetchRefused('not a URL');
  }
  if (url.protocol !== 'http:') throw new AiaFetchRefused('only http: URLs are fetched');
  // A certificate must not make the console send credentials anywhere.
  if (url.username || url.password) throw new AiaFetchRefused('URL carries credentials');
  const port = url.port === '' ? 80 : Number(url.port);
  if (!policy.ports.includes(port)) throw new AiaFetchRefused('port not allowed');
  // The WHATWG parser already turned 2130706433, 0x7f.1 and 0177.0.0.1 into 127.0.0.1.
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  return { url, host, port };
}

function allowed(address: string, port: number, policy: AiaFetchPolicy, own: Set<string>): boolean {
  const cls = classifyAddress(address);
  if (cls === 'forbidden') return false;
  const local = isLoopback(address) || own.has(canonicalAddress(address));
  if (!policy.allowPrivate) return cls === 'public' && !local;
  return !(local && policy.ownPorts().includes(port));
}

/** Resolves the host once and checks every address it has; any forbidden one refuses the whole URL. */
async function resolveTarget(raw: string, policy: AiaFetchPolicy): Promise<Target> {
  const { url, host, port } = parse(raw, policy);
  const addresses = net.isIP(host)
    ? [{ address: host, family: net.isIP(host) }]
    : await dns.lookup(host, { all: true, verbatim: true });
  if (addresses.length === 0) throw new AiaFetchRefused('no address');
  const own = ownAddresses();
  if (!addresses.every((a) => allowed(a.address, port, policy, own)))
    throw new AiaFetchRefused('address not allowed');
  const first = addresses[0] as { address: string; family: number };
  return { url, port, address: first.address, family: first.family === 6 ? 6 : 4 };
}

function get(target: Target, timeoutMs: number, maxBytes: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const req = http.request(
      {
        // The checked address itself: no lookup happens between the check and the connection.
        host: target.address,
        family: target.family,
        port: target.port,
        path: `${target.url.pathname}${target.url.search}`,
        method: 'GET',
        setHost: false,
        headers: { host: target.url.host, accept: '*/*' },
        agent: false,
        timeout: timeoutMs,
      },
      (res) => {
        // Redirects are not followed: the new location would escape the checks above.
        if (res.statusCode !== 200) {
          res.resume();
          req.destroy();
          reject(new Error(`HTTP ${res.statusCode}`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) {
            req.destroy(new Error('answer too large'));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => resolve(Buffer.concat(chunks)));
        res.on('error', reject);
      },
    );
    // One deadline for the whole exchange, not only for idle sockets.
    const deadline = setTimeout(() => req.destroy(new Error('timed out')), timeoutMs);
    req.on('close', () => clearTimeout(deadline));
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

export function createAiaFetcher(policy: AiaFetchPolicy): IssuerFetcher {
  const timeoutMs = policy.timeoutMs ?? AIA_FETCH_LIMITS.timeoutMs;
  const maxBytes = policy.maxBytes ?? AIA_FETCH_LIMITS.maxBytes;
  return async (url) => {
    // A resolver that never answers must not hold the import longer than a server that never answers.
    let timer: NodeJS.Timeout | undefined;
    const lookupDeadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timed out')), timeoutMs);
    });
    try {
      const target = await Promise.race([resolveTarget(url, policy), lookupDeadline]);
      clearTimeout(timer);
      return await get(target, timeoutMs, maxBytes);
    } finally {
      clearTimeout(timer);
    }
  };
}

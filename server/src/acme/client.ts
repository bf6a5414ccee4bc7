import https from 'node:https';
import { createRequire } from 'node:module';
import tls from 'node:tls';
import type * as AcmeLib from 'acme-client';

const require = createRequire(import.meta.url);
let lib: typeof AcmeLib | undefined;
/**
 * acme-client (with its own axios, node-forge and @peculiar/x509) costs about 0.3 s of CPU to load: it is
 * loaded when ACME is first used, not at every start of a console that may never use it.
 */
function acmeLib(): typeof AcmeLib {
  lib ??= require('acme-client') as typeof AcmeLib;
  return lib;
}

/**
 * The ACME adapter: acme-client (RFC 8555) plus what it leaves to the caller — a time limit on every
 * request, extra CA certificates per directory (a private CA, pebble's test CA) without ever switching
 * TLS verification off, RFC 9773 renewal information, and the CA's problem detail as a sentence.
 */

export const ACME_LIMITS = { requestTimeoutMs: 15_000, maxResponseBytes: 1024 * 1024 };

export interface AcmeEndpoint {
  directoryUrl: string;
  /** PEM certificates trusted for this directory's origin in addition to the system roots. */
  caPem: string | null;
}

export interface AcmeAccountKeys {
  accountKeyPem: string;
  accountUrl?: string;
  eab?: { kid: string; hmacKey: string };
}

/** How long to wait between polls of an authorization or order (fast against pebble, polite elsewhere). */
export interface AcmePolling {
  backoffMin: number;
  backoffMax: number;
  backoffAttempts: number;
}

const DEFAULT_POLLING: AcmePolling = { backoffMin: 500, backoffMax: 10_000, backoffAttempts: 12 };

let globalCaPem: string | null = null;
const agents = new Map<string, https.Agent>();
const agentsByTrust = new Map<string, https.Agent>();
let installed = false;

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

interface InterceptorList {
  handlers?: ({ rejected?: ((error: unknown) => unknown) | null } | null)[];
}

/**
 * acme-client's retry interceptor validates `error.response` also when there is none (connection refused,
 * time-out, a TLS failure) and throws "Cannot read properties of undefined (reading 'config')" instead:
 * the administrator learnt nothing. Its handler is wrapped so such a request fails with its own error.
 */
function keepCauseOfFailedRequests(list: InterceptorList): void {
  for (const handler of list.handlers ?? []) {
    const rejected = handler?.rejected;
    if (!handler || !rejected) continue;
    handler.rejected = async (error: unknown) => {
      try {
        return await rejected(error);
      } catch (thrown) {
        if (thrown instanceof TypeError && !(error as { response?: unknown })?.response) throw error;
        throw thrown;
      }
    };
  }
}

/** Installs the time limit and per-origin trust on acme-client's HTTP instance (once per process). */
function install(): void {
  if (installed) return;
  installed = true;
  const instance = acmeLib().axios;
  // A CA that is down answers quickly with an error instead of 5 retries × 5 s.
  const defaults = instance.defaults as unknown as { acmeSettings: Record<string, number> };
  defaults.acmeSettings = { ...defaults.acmeSettings, retryMaxAttempts: 2, retryDefaultDelay: 1 };
  instance.defaults.maxRedirects = 0;
  keepCauseOfFailedRequests(instance.interceptors.response as unknown as InterceptorList);
  instance.interceptors.request.use((config) => {
    config.timeout = ACME_LIMITS.requestTimeoutMs;
    config.maxContentLength = ACME_LIMITS.maxResponseBytes;
    const origin = originOf(config.url ?? '');
    const agent = origin ? agents.get(origin) : undefined;
    if (agent) config.httpsAgent = agent;
    return config;
  });
}

/** CERTDESK_ACME_CA_FILE: extra CA certificates trusted for every directory. */
export function setGlobalAcmeCa(pem: string | null): void {
  globalCaPem = pem;
}

/**
 * One agent (and one secure context) per trust set, made once: given only `ca`, Node builds a context
 * for each connection, parsing every system root each time — that was most of an order's CPU time and
 * blocked the event loop for each ACME request.
 */
function agentFor(extra: string[]): https.Agent {
  const key = extra.join('\n');
  let agent = agentsByTrust.get(key);
  if (!agent) {
    if (agentsByTrust.size >= 64) agentsByTrust.clear();
    agent = new https.Agent({
      secureContext: tls.createSecureContext({ ca: [...tls.rootCertificates, ...extra] }),
      keepAlive: false,
    });
    agentsByTrust.set(key, agent);
  }
  return agent;
}

/**
 * Trusts `caPem` (and the global extra CA) for the directory's origin and, once the directory is read,
 * for the origins it names (a CA may serve its API elsewhere), on top of the system roots.
 */
function trustFor(endpoint: AcmeEndpoint, urls: string[] = [endpoint.directoryUrl]): void {
  install();
  const extra = [endpoint.caPem, globalCaPem].filter((p): p is string => !!p);
  const agent = extra.length > 0 ? agentFor(extra) : null;
  for (const url of urls) {
    const origin = originOf(url);
    if (!origin) continue;
    if (agent) agents.set(origin, agent);
    else agents.delete(origin);
  }
}

export function acmeClient(
  endpoint: AcmeEndpoint,
  keys: AcmeAccountKeys,
  polling: Partial<AcmePolling> = {},
) {
  trustFor(endpoint);
  return new (acmeLib().Client)({
    directoryUrl: endpoint.directoryUrl,
    accountKey: keys.accountKeyPem,
    accountUrl: keys.accountUrl,
    externalAccountBinding: keys.eab,
    ...DEFAULT_POLLING,
    ...polling,
  });
}

export type AcmeClient = ReturnType<typeof acmeClient>;
export type { Authorization, Order } from 'acme-client';

export interface AcmeDirectory {
  newAccount?: string;
  newOrder?: string;
  renewalInfo?: string;
  meta?: { termsOfService?: string; externalAccountRequired?: boolean };
}

/** GET of the directory (or any ACME resource that needs no signature), time-limited, trusted per origin. */
async function getJson(
  endpoint: AcmeEndpoint,
  url: string,
): Promise<{ data: unknown; retryAfter: string | undefined }> {
  trustFor(endpoint);
  const res = await acmeLib().axios.get(url, {
    validateStatus: (s: number) => s === 200,
    responseType: 'json',
  });
  return { data: res.data, retryAfter: res.headers['retry-after'] as string | undefined };
}

export async function readDirectory(endpoint: AcmeEndpoint): Promise<AcmeDirectory> {
  const { data } = await getJson(endpoint, endpoint.directoryUrl);
  if (!data || typeof data !== 'object' || typeof (data as AcmeDirectory).newOrder !== 'string') {
    throw new Error('The address does not answer with an ACME directory (no "newOrder").');
  }
  const named = Object.values(data).filter((v): v is string => typeof v === 'string');
  trustFor(endpoint, [endpoint.directoryUrl, ...named]);
  return data as AcmeDirectory;
}

export interface RenewalInfo {
  start: Date;
  end: Date;
  /** Milliseconds until the CA wants to be asked again (Retry-After), when it said. */
  retryAfterMs: number | null;
}

/** RFC 9773 §4.2: GET <renewalInfo>/<certID>. */
export async function fetchRenewalInfo(
  endpoint: AcmeEndpoint,
  base: string,
  certId: string,
  now: number,
): Promise<RenewalInfo> {
  const { data, retryAfter } = await getJson(endpoint, `${base.replace(/\/$/, '')}/${certId}`);
  const w = (data as { suggestedWindow?: { start?: string; end?: string } })?.suggestedWindow;
  const start = new Date(w?.start ?? '');
  const end = new Date(w?.end ?? '');
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()) || end < start) {
    throw new Error('The CA answered renewal information without a valid suggestedWindow.');
  }
  return { start, end, retryAfterMs: retryAfterMs(retryAfter, now) };
}

/** Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(value: string | undefined, now: number): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** Network and TLS failures (no answer at all), in words; the code stays in the sentence for a search. */
const NETWORK_FAILURES: Record<string, string> = {
  ECONNREFUSED: 'nothing accepts connections at that address and port',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved right now',
  ECONNRESET: 'the connection was reset',
  EHOSTUNREACH: 'the host cannot be reached',
  ENETUNREACH: 'the network cannot be reached',
  EPROTO: 'the server did not speak TLS as expected',
};
const TLS_TRUST_FAILURES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The CA's problem detail (RFC 7807 in RFC 8555 §6.7) or the network failure, as one sentence. */
export function problemSentence(err: unknown): string {
  const e = err as { message?: string; code?: string; response?: { data?: { detail?: string } } };
  const detail = e?.response?.data?.detail ?? e?.message ?? String(err);
  if (e?.code === 'ECONNABORTED' || e?.code === 'ETIMEDOUT' || /timeout/i.test(detail)) {
    return `The CA did not answer within ${ACME_LIMITS.requestTimeoutMs / 1000} seconds.`;
  }
  if (!e?.response && e?.code && NETWORK_FAILURES[e.code])
    return `No answer: ${NETWORK_FAILURES[e.code]} (${e.code}).`;
  if (!e?.response && e?.code && TLS_TRUST_FAILURES.has(e.code)) {
    return `The CA's HTTPS certificate is not trusted (${e.code}): give the account the CA certificate that issued it, or set CERTDESK_ACME_CA_FILE.`;
  }
  const sentence = detail.replace(/\s+/g, ' ').trim().slice(0, 500);
  return sentence.endsWith('.') ? sentence : `${sentence}.`;
}

import { createRequire } from 'node:module';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/**
 * The security headers @fastify/helmet sent with the options certdesk used (issue 15), for the pages a
 * browser renders (the console, its assets, anything outside /api): the same names and values, built once.
 * Helmet rebuilt its header set on every request (~30 µs); one object set with `reply.headers` costs ~1.5 µs.
 * test/routes/api/security-headers.test.ts compares this set with what helmet produces for those options, so
 * a change here is deliberate.
 *
 * No HSTS: the HTTPS listener adds it once HTTPS is confirmed (over plain HTTP in bootstrap mode it would be
 * ignored at best and lock the admin out at worst). No upgrade-insecure-requests: the console must work
 * over plain HTTP until HTTPS is switched on.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join(';');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
});

/**
 * What an API answer (JSON, or a file to download) carries instead: the headers OWASP's REST Security Cheat
 * Sheet names for every API response. The others above (opener policy, origin-agent cluster, DNS prefetch,
 * referrer policy, IE's download and XSS switches, Flash policy files) act only on a page a browser renders;
 * an API answer never is one, and if a browser were ever led to render one, `default-src 'none'` lets it
 * load nothing and `nosniff` keeps it from being read as anything but its declared type. `no-store`: answers
 * name certificates, keys' owners and sessions; a shared computer's cache must not keep them (a route that
 * may be cached says so itself). Half the headers also means less for Node to validate and encrypt on every
 * answer (issue 15: ~4 µs of a ~100 µs keep-alive request).
 */
export const API_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cross-origin-resource-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
});

/** Under /api but a page: the interactive docs (swagger-ui), which a browser renders. */
const API_PAGES = '/api/docs';

/** The header set for a request's URL: the API set for /api answers, the page set for everything else. */
export function securityHeadersFor(url: string): Readonly<Record<string, string>> {
  return url.startsWith('/api/') && !url.startsWith(API_PAGES) ? API_SECURITY_HEADERS : SECURITY_HEADERS;
}

/**
 * The path the router matched, for choosing the set: the router decodes %xx before it matches, so
 * `/%61pi/auth/me` is the /api/auth/me route and must get the API set. Without a `%` the request's own path
 * is that path (read without building routeOptions, which allocates on each read); with one, the matched
 * route's pattern (a request that matched nothing keeps its raw path: a 404 either way).
 */
export function routedPath(request: FastifyRequest): string {
  if (!request.url.includes('%')) return request.url;
  return request.routeOptions.url ?? request.url;
}

/**
 * Fastify keeps a reply's headers in a plain object under an internal symbol until it writes the head.
 * Copying the frozen set into it at once costs ~0.3 µs; `reply.headers()` sets them one by one through
 * `reply.header()` (~1.8 µs). If a Fastify upgrade moves the symbol, the public method takes over.
 */
const { kReplyHeaders } = createRequire(import.meta.url)('fastify/lib/symbols.js') as {
  kReplyHeaders?: symbol;
};

export function setSecurityHeaders(
  reply: FastifyReply,
  set: Readonly<Record<string, string>> = SECURITY_HEADERS,
): void {
  const headers = kReplyHeaders && (reply as unknown as Record<symbol, unknown>)[kReplyHeaders];
  if (headers && typeof headers === 'object') Object.assign(headers, set);
  else reply.headers(set);
}

export default fp(
  async (fastify) => {
    // Synchronous: nothing here awaits, and an async hook costs a promise and a tick per request.
    fastify.addHook('onRequest', (request, reply, done) => {
      setSecurityHeaders(reply, securityHeadersFor(routedPath(request)));
      done();
    });
  },
  { name: 'security-headers' },
);

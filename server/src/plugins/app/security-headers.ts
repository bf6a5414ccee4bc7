import { createRequire } from 'node:module';
import type { FastifyReply } from 'fastify';
import fp from 'fastify-plugin';

/**
 * The security headers @fastify/helmet sent with the options certdesk used (issue 15): the same names and
 * values, built once. Helmet rebuilt its header set on every request (~30 µs); one object set with
 * `reply.headers` costs ~1.5 µs. test/foundation/security-headers.test.ts compares this set with what helmet
 * produces for those options, so a change here is deliberate.
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
 * Fastify keeps a reply's headers in a plain object under an internal symbol until it writes the head.
 * Copying the frozen set into it at once costs ~0.3 µs; `reply.headers()` sets them one by one through
 * `reply.header()` (~1.8 µs). If a Fastify upgrade moves the symbol, the public method takes over.
 */
const { kReplyHeaders } = createRequire(import.meta.url)('fastify/lib/symbols.js') as {
  kReplyHeaders?: symbol;
};

export function setSecurityHeaders(reply: FastifyReply): void {
  const headers = kReplyHeaders && (reply as unknown as Record<symbol, unknown>)[kReplyHeaders];
  if (headers && typeof headers === 'object') Object.assign(headers, SECURITY_HEADERS);
  else reply.headers(SECURITY_HEADERS);
}

export default fp(
  async (fastify) => {
    // Synchronous: nothing here awaits, and an async hook costs a promise and a tick per request.
    fastify.addHook('onRequest', (_request, reply, done) => {
      setSecurityHeaders(reply);
      done();
    });
  },
  { name: 'security-headers' },
);

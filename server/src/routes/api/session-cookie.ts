import { parseCookie, stringifySetCookie } from 'cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type RequestUser, SESSION_ABSOLUTE_MS, SESSION_COOKIE } from '../../services/auth-service.js';

/**
 * The session cookie is the only cookie certdesk reads or sets, so it is read and written here with the
 * `cookie` package directly. @fastify/cookie parsed every request's cookies in an onRequest hook and ran an
 * onSend hook on every answer, static files included (issue 15: two hook runs per request for one cookie).
 */
export function sessionCookie(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  return header ? parseCookie(header)[SESSION_COOKIE] : undefined;
}

/** Sets (or, with '' and maxAge 0, clears) the session cookie; a later call in the same answer replaces it. */
function writeSessionCookie(reply: FastifyReply, value: string, secure: boolean, maxAge: number): void {
  reply.removeHeader('set-cookie');
  reply.header(
    'set-cookie',
    stringifySetCookie({
      name: SESSION_COOKIE,
      value,
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure,
      maxAge,
      ...(maxAge === 0 ? { expires: new Date(0) } : {}),
    }),
  );
}

function setSessionCookie(reply: FastifyReply, sessionId: string, secure: boolean): void {
  writeSessionCookie(reply, sessionId, secure, SESSION_ABSOLUTE_MS / 1000);
}

/** Starts a fresh session (a new id at every sign-in) and sets its cookie. Returns the CSRF token. */
export function startSession(request: FastifyRequest, reply: FastifyReply, user: RequestUser): string {
  const old = sessionCookie(request);
  if (old) request.server.auth.destroySession(old);
  const secure = request.protocol === 'https';
  const { sessionId, csrfToken } = request.server.auth.createSession(
    user.id,
    request.ip,
    request.headers['user-agent'],
    secure,
  );
  setSessionCookie(reply, sessionId, secure);
  return csrfToken;
}

/** The cookie of the session this request signed in with (not a cookie sent along with a Bearer token). */
export function currentSessionId(request: FastifyRequest): string | undefined {
  return request.authMethod === 'session' ? sessionCookie(request) : undefined;
}

/**
 * Called once a switch to HTTPS is confirmed (over HTTPS): sessions whose cookie was set over plain HTTP
 * end, and the confirming browser's session continues under a new id in a Secure cookie.
 */
export function secureSessionsAfterHttps(request: FastifyRequest, reply: FastifyReply): void {
  const { sessionId, ended } = request.server.auth.rotateSessionsAfterHttps(currentSessionId(request));
  if (sessionId) setSessionCookie(reply, sessionId, true);
  request.server.audit.record(request, { action: 'auth.sessions_secured', details: { ended } });
}

export function clearSessionCookie(reply: FastifyReply): void {
  writeSessionCookie(reply, '', reply.request.protocol === 'https', 0);
}

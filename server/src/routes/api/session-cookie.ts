import type { FastifyReply, FastifyRequest } from 'fastify';
import { type RequestUser, SESSION_ABSOLUTE_MS, SESSION_COOKIE } from '../../services/auth-service.js';

function setSessionCookie(reply: FastifyReply, sessionId: string, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, sessionId, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure,
    maxAge: SESSION_ABSOLUTE_MS / 1000,
  });
}

/** Starts a fresh session (a new id at every sign-in) and sets its cookie. Returns the CSRF token. */
export function startSession(request: FastifyRequest, reply: FastifyReply, user: RequestUser): string {
  const old = request.cookies[SESSION_COOKIE];
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
  return request.authMethod === 'session' ? request.cookies[SESSION_COOKIE] : undefined;
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
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import { type RequestUser, SESSION_ABSOLUTE_MS, SESSION_COOKIE } from '../../services/auth-service.js';

/** Starts a fresh session (a new id at every sign-in) and sets its cookie. Returns the CSRF token. */
export function startSession(request: FastifyRequest, reply: FastifyReply, user: RequestUser): string {
  const old = request.cookies[SESSION_COOKIE];
  if (old) request.server.auth.destroySession(old);
  const { sessionId, csrfToken } = request.server.auth.createSession(
    user.id,
    request.ip,
    request.headers['user-agent'],
  );
  reply.setCookie(SESSION_COOKIE, sessionId, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: request.protocol === 'https',
    maxAge: SESSION_ABSOLUTE_MS / 1000,
  });
  return csrfToken;
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

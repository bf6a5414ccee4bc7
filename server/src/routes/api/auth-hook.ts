import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { AppError } from '../../errors.js';
import { SESSION_COOKIE, safeEqual } from '../../services/auth-service.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** What a session may reach while an administrator requires two-factor and it has none yet. */
const ENROLMENT_ROUTES = new Set(['/api/auth/me', '/api/auth/logout', '/api/auth/totp']);

/**
 * The one place authentication and CSRF are enforced for everything under /api.
 * Public routes opt out with `config: { public: true }`; a session still identifies the user there.
 * A synchronous hook: nothing in it awaits, and an async hook costs a promise and a tick on every request.
 */
export function authenticate(
  request: FastifyRequest,
  _reply: FastifyReply,
  done: HookHandlerDoneFunction,
): void {
  try {
    identify(request);
  } catch (err) {
    done(err as Error);
    return;
  }
  done();
}

function identify(request: FastifyRequest): void {
  const { auth } = request.server;
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) {
    const user = auth.lookupApiToken(header.slice(7).trim());
    if (!user) throw new AppError('NOT_AUTHENTICATED', 'The API token is not valid.');
    request.user = user;
    request.authMethod = 'token';
    return;
  }

  const sessionId = request.cookies[SESSION_COOKIE];
  const session = sessionId ? auth.touchSession(sessionId) : null;
  if (session) {
    request.user = session.user;
    request.authMethod = 'session';
    request.csrfToken = session.csrfToken;
    request.signedInAt = session.signedInAt;
  }
  if (request.routeOptions.config.public) return;
  if (!session) throw new AppError(sessionId ? 'SESSION_EXPIRED' : 'NOT_AUTHENTICATED');
  if (!SAFE_METHODS.has(request.method)) {
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken))
      throw new AppError('CSRF_TOKEN_INVALID');
  }
  const route = request.routeOptions.url ?? '';
  if (
    !ENROLMENT_ROUTES.has(route) &&
    !route.startsWith('/api/auth/totp/') &&
    auth.secondFactor?.enrolmentRequired(session.user.id)
  )
    throw new AppError('TOTP_ENROLMENT_REQUIRED');
}

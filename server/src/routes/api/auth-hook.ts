import type { Permission } from '@certdesk/shared';
import type { FastifyContextConfig, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { AppError } from '../../errors.js';
import { safeEqual } from '../../services/auth-service.js';
import { can, deniedSentence } from '../../services/permissions.js';
import { sessionCookie } from './session-cookie.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** What a session may reach while an administrator requires two-factor and it has none yet. */
const ENROLMENT_ROUTES = new Set(['/api/auth/me', '/api/auth/logout', '/api/auth/totp']);

/**
 * The one place authentication, CSRF and roles are enforced for everything under /api.
 * Public routes opt out with `config: { public: true }`; a session still identifies the user there.
 * Every other route declares `config: { permission }`; one that declares none answers 403 to everyone.
 * A synchronous hook: nothing in it awaits, and an async hook costs a promise and a tick on every request.
 */
export function authenticate(
  request: FastifyRequest,
  _reply: FastifyReply,
  done: HookHandlerDoneFunction,
): void {
  // routeOptions is a getter that builds a new object on each read: read it once.
  const route = request.routeOptions;
  try {
    identify(request, route);
    if (!route.config.public) authorize(request, route.config);
  } catch (err) {
    done(err as Error);
    return;
  }
  done();
}

/**
 * Refuses (403 FORBIDDEN) unless the caller's role allows `permission`. The hook calls it with the route's
 * permission; a handler calls it only where the body decides (a private key in the answer).
 */
export function requirePermission(request: FastifyRequest, permission: Permission): void {
  const role = request.user?.role;
  if (!role) throw new AppError('NOT_AUTHENTICATED');
  if (!can(role, permission)) {
    throw new AppError('FORBIDDEN', deniedSentence(role, permission), { permission, role });
  }
}

function authorize(request: FastifyRequest, config: FastifyContextConfig): void {
  const { permission } = config;
  if (!permission) {
    // Fail closed: a route added without a permission is nobody's until it says whose it is.
    throw new AppError('FORBIDDEN', 'This route declares no permission, so no role may use it.');
  }
  // A one-time password opens only the way to a new password (and out).
  if (request.user?.mustChangePassword && permission !== 'account') {
    throw new AppError('PASSWORD_CHANGE_REQUIRED');
  }
  requirePermission(request, permission);
}

function identify(
  request: FastifyRequest,
  { config, url }: Pick<FastifyRequest['routeOptions'], 'config' | 'url'>,
): void {
  const { auth } = request.server;
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) {
    const found = auth.lookupApiToken(header.slice(7).trim());
    if (!found) throw new AppError('NOT_AUTHENTICATED', 'The API token is not valid.');
    request.user = found.user;
    request.apiToken = found.token;
    request.authMethod = 'token';
    return;
  }

  const sessionId = sessionCookie(request);
  const session = sessionId ? auth.touchSession(sessionId) : null;
  if (session) {
    request.user = session.user;
    request.authMethod = 'session';
    request.csrfToken = session.csrfToken;
    request.signedInAt = session.signedInAt;
  }
  if (config.public) return;
  if (!session) throw new AppError(sessionId ? 'SESSION_EXPIRED' : 'NOT_AUTHENTICATED');
  if (!SAFE_METHODS.has(request.method)) {
    const sent = request.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken))
      throw new AppError('CSRF_TOKEN_INVALID');
  }
  const route = url ?? '';
  if (
    !ENROLMENT_ROUTES.has(route) &&
    !route.startsWith('/api/auth/totp/') &&
    auth.secondFactor?.enrolmentRequired(session.user.id)
  )
    throw new AppError('TOTP_ENROLMENT_REQUIRED');
}

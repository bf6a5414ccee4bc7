/**
 * Where to go after signing in. Only same-origin paths are accepted: `?next=https://evil.example` or
 * `?next=//evil.example` must not turn the sign-in page into an open redirect.
 */
export function safeNext(next: string | null | undefined, fallback = '/'): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  if (next.startsWith('/login') || next.startsWith('/setup')) return fallback;
  return next;
}

export function loginPath(location: { pathname: string; search: string; hash?: string }): string {
  const here = `${location.pathname}${location.search}${location.hash ?? ''}`;
  const next = safeNext(here, '');
  return next && next !== '/' ? `/login?next=${encodeURIComponent(next)}` : '/login';
}

import { type APIRequestContext, type APIResponse, expect, type Page } from '@playwright/test';

/**
 * Calls the API with the page's own session (its cookies) and CSRF token, for arranging test data quickly
 * (e.g. many audit entries) or checking a result the UI does not show. The UI itself is what tests test.
 */
export async function apiAs(page: Page): Promise<{
  request: APIRequestContext;
  csrfToken: string;
  post: (path: string, data?: unknown) => Promise<APIResponse>;
  del: (path: string) => Promise<APIResponse>;
}> {
  const request = page.request;
  const me = await request.get('/api/auth/me');
  expect(me.status(), 'the page must be signed in').toBe(200);
  const { csrfToken } = (await me.json()) as { csrfToken: string };
  const headers = { 'x-csrf-token': csrfToken };
  return {
    request,
    csrfToken,
    post: (path, data) => request.post(path, { headers, data: data ?? {} }),
    del: (path) => request.delete(path, { headers }),
  };
}

import { ERROR_CODES } from '@certdesk/shared/errors';
import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from './api-client.js';

/**
 * A 401 means the session is gone (expired, signed out in another tab, server restarted with a new
 * data dir). The app registers what to do about it — go to /login?next=… — once the router exists.
 */
let onUnauthorized: (() => void) | null = null;

export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

/** Wrong credentials on the sign-in form are a 401 too, but they are the form's business. */
function isSessionLoss(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && error.code !== ERROR_CODES.INVALID_CREDENTIALS;
}

function handleError(error: unknown): void {
  if (isSessionLoss(error)) onUnauthorized?.();
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: handleError }),
  mutationCache: new MutationCache({ onError: handleError }),
  defaultOptions: {
    queries: {
      // Retrying a 4xx only repeats the same answer; retry once for network blips and 5xx.
      retry: (failureCount, error) =>
        failureCount < 1 && (!(error instanceof ApiError) || error.status === 0 || error.status >= 500),
      refetchOnWindowFocus: false,
      staleTime: 10_000,
    },
  },
});

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

/** An administrator requires two-factor sign-in and this account has none yet: go and set it up. */
let onEnrolmentRequired: (() => void) | null = null;

export function setEnrolmentRequiredHandler(handler: (() => void) | null): void {
  onEnrolmentRequired = handler;
}

/** The sign-in form's own 401s: wrong credentials, a code asked for or a wrong code. */
const SIGN_IN_ANSWERS: ReadonlySet<string> = new Set([
  ERROR_CODES.INVALID_CREDENTIALS,
  ERROR_CODES.TOTP_REQUIRED,
  ERROR_CODES.INVALID_TOTP,
]);

function isSessionLoss(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401 && !SIGN_IN_ANSWERS.has(error.code);
}

function handleError(error: unknown): void {
  if (isSessionLoss(error)) onUnauthorized?.();
  else if (error instanceof ApiError && error.code === ERROR_CODES.TOTP_ENROLMENT_REQUIRED)
    onEnrolmentRequired?.();
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

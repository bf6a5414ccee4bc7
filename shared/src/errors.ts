/**
 * Every error the API can answer with, declared once: code → HTTP status and a default sentence.
 * Routes throw `new AppError('CODE')` (server) and the UI can switch on the same codes.
 */
export const ERRORS = {
  // 400
  VALIDATION_ERROR: { status: 400, message: 'The request is not valid.' },
  INVALID_JSON: { status: 400, message: 'The request body is not valid JSON.' },
  INVALID_ID: { status: 400, message: 'The id in the address is not a valid id.' },
  // 401 / 403
  NOT_AUTHENTICATED: { status: 401, message: 'Sign in first.' },
  INVALID_CREDENTIALS: { status: 401, message: 'The user name or password is wrong.' },
  SESSION_EXPIRED: { status: 401, message: 'Your session has ended. Sign in again.' },
  CSRF_TOKEN_INVALID: {
    status: 403,
    message: 'The request is missing its CSRF token (x-csrf-token). Reload the page and try again.',
  },
  REAUTH_FAILED: { status: 403, message: 'The account password is wrong.' },
  SETUP_TOKEN_INVALID: {
    status: 403,
    message: 'The setup link is not valid. Use the link printed in the server log.',
  },
  // 404 / 405
  NOT_FOUND: { status: 404, message: 'Nothing was found at this address.' },
  // 409
  SETUP_ALREADY_DONE: { status: 409, message: 'An administrator account already exists. Sign in instead.' },
  CONFLICT: { status: 409, message: 'The request conflicts with the current state.' },
  // 413 / 415
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The upload is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'This content type is not accepted here.' },
  // 429
  RATE_LIMITED: { status: 429, message: 'Too many attempts. Wait a moment and try again.' },
  // 500 / 503
  INTERNAL_ERROR: { status: 500, message: 'Something went wrong on the server. The details are in the server log.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

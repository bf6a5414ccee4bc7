/**
 * Every error the API can answer with, declared once: code → HTTP status and a default sentence.
 * Routes throw `new AppError('CODE')` (server) and the UI can switch on the same codes.
 */
export const ERRORS = {
  // 400
  VALIDATION_ERROR: { status: 400, message: 'The request is not valid.' },
  INVALID_JSON: { status: 400, message: 'The request body is not valid JSON.' },
  INVALID_ID: { status: 400, message: 'The id in the address is not a valid id.' },
  MALFORMED_UPLOAD: {
    status: 400,
    message: 'The upload is cut off or not valid multipart/form-data. Send the files again.',
  },
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
  // certificates inventory (issue 5)
  CERTIFICATE_IN_USE: {
    status: 409,
    message:
      'This certificate is in use (active or bound to a host name). Switch to another certificate first.',
  },
  CERTIFICATE_NOT_FOUND: { status: 404, message: 'There is no certificate with this id.' },
  NO_PRIVATE_KEY: {
    status: 409,
    message:
      'No private key is stored for this certificate, so it cannot be exported with its key. Import the key first.',
  },
  NO_PREVIOUS_VERSION: {
    status: 409,
    message: 'This certificate does not replace an earlier version, so there is nothing to promote it over.',
  },
  ALREADY_PROMOTED: { status: 409, message: 'This certificate has already replaced its previous version.' },
  CERTIFICATE_NOT_SUPERSEDED: {
    status: 409,
    message: 'This certificate has not been superseded, so there is nothing to restore.',
  },
  CERTIFICATE_EXPIRED: {
    status: 422,
    message: 'This certificate has expired; it cannot be put back in service.',
  },
  PFX_PASSWORD_REQUIRED: { status: 400, message: 'Choose a password to protect the .pfx file.' },
  // certificate import (issue 4); the certificate module passes its own sentence with the details
  NO_FILE: { status: 400, message: 'Upload at least one file.' },
  UNRECOGNIZED_FILE: {
    status: 422,
    message: 'The file is not a certificate, bundle, PKCS#7, PFX or private key.',
  },
  FILE_TOO_LARGE: {
    status: 413,
    message: 'The file is over 1 MiB; certificates, keys and PFX files are far smaller.',
  },
  CERTIFICATE_DAMAGED: { status: 422, message: 'The certificate is damaged or truncated.' },
  PFX_DAMAGED: { status: 422, message: 'The PFX/PKCS#12 file is damaged or truncated.' },
  PFX_UNSUPPORTED: { status: 422, message: 'The PFX uses an algorithm certdesk does not read.' },
  PFX_TOO_COSTLY: { status: 422, message: 'The PFX asks for too many key-derivation iterations.' },
  P7B_DAMAGED: { status: 422, message: 'The PKCS#7 (.p7b) bundle is damaged or truncated.' },
  NO_CERTIFICATE: { status: 422, message: 'The upload holds no certificate.' },
  KEY_MISMATCH: { status: 422, message: 'The private key does not belong to the certificate.' },
  CERTIFICATE_NOT_YET_VALID: { status: 422, message: 'The certificate is not valid yet.' },
  CHAIN_NOT_TRUSTED: { status: 422, message: 'The chain does not verify to a trust anchor.' },
  EKU_NOT_SERVER_AUTH: {
    status: 422,
    message: 'The certificate is not allowed for TLS servers (extended key usage).',
  },
  KEY_TOO_WEAK: { status: 422, message: 'The key is too weak.' },
  IMPORT_BLOCKED: { status: 422, message: 'A blocking pre-flight check failed.' },
  CERTIFICATE_EXISTS: { status: 409, message: 'This certificate is already imported.' },
  NOT_A_CA_CERTIFICATE: { status: 422, message: 'A trust anchor must be a CA certificate.' },
  NOT_A_SINGLE_CERTIFICATE: { status: 422, message: 'Upload exactly one root certificate.' },
  TRUST_ANCHOR_EXISTS: { status: 409, message: 'This root is already a trust anchor.' },
  // 413 / 415
  PAYLOAD_TOO_LARGE: { status: 413, message: 'The upload is too large.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'This content type is not accepted here.' },
  // 429
  RATE_LIMITED: { status: 429, message: 'Too many attempts. Wait a moment and try again.' },
  // 500 / 503
  INTERNAL_ERROR: {
    status: 500,
    message: 'Something went wrong on the server. The details are in the server log.',
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;

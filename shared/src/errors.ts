/**
 * Every error the server answers with, declared once: code → HTTP status and a default sentence.
 * The server throws `new AppError('CODE')` (or the certificate core's `CertError`) and may pass a sentence
 * that carries details (a port, a file name); the status always comes from here. The UI compares
 * `ERROR_CODES.X`, never a bare string. This file imports nothing: the browser reads it through
 * `@certdesk/shared/errors` without pulling TypeBox.
 */
export interface ErrorDefinition {
  readonly status: number;
  readonly message: string;
  /**
   * For the few codes whose fault can lie either in stored data or in what the request itself sent (an
   * upload, an id in the body): the status of the second case, raised with `AppError.inRequest(...)` or
   * `CertError.inRequest(...)`. 422 = well-formed but refused (API.md "Conventions").
   */
  readonly requestStatus?: number;
}

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
  TOKEN_EXPIRED: {
    status: 401,
    message: 'This API token has expired. Create a new one under API tokens.',
  },
  CSRF_TOKEN_INVALID: {
    status: 403,
    message: 'The request is missing its CSRF token (x-csrf-token). Reload the page and try again.',
  },
  REAUTH_FAILED: { status: 403, message: 'The account password is wrong.' },
  // users and roles (issue 17)
  FORBIDDEN: { status: 403, message: 'Your role does not allow this action. Ask an administrator.' },
  PASSWORD_CHANGE_REQUIRED: {
    status: 403,
    message: 'You signed in with a one-time password. Choose a new password before doing anything else.',
  },
  ACCOUNT_DISABLED: { status: 401, message: 'This account is disabled. Ask an administrator.' },
  USERNAME_TAKEN: { status: 409, message: 'An account with this user name already exists.' },
  LAST_ADMIN: {
    status: 409,
    message: 'This is the last enabled administrator: make another account an administrator first.',
  },
  OWN_ACCOUNT: {
    status: 409,
    message: 'You cannot disable, delete or change the role of your own account. Ask another administrator.',
  },
  // 422 with `field: 'newPassword'`
  PASSWORD_UNCHANGED: { status: 422, message: 'The new password is the same as the current one.' },
  SETUP_TOKEN_INVALID: {
    status: 403,
    message: 'The setup link is not valid. Use the link printed in the server log.',
  },
  // two-factor sign-in (TOTP, issue 17)
  TOTP_REQUIRED: {
    status: 401,
    message: 'Enter the code from your authenticator app (or a recovery code) to sign in.',
  },
  INVALID_TOTP: { status: 401, message: 'The two-factor code is wrong or was already used.' },
  REAUTH_TOTP_REQUIRED: {
    status: 403,
    message: 'Enter the code from your authenticator app (or a recovery code) as well as your password.',
  },
  REAUTH_TOTP_INVALID: { status: 403, message: 'The two-factor code is wrong or was already used.' },
  TOTP_ENROLMENT_REQUIRED: {
    status: 403,
    message: 'An administrator requires two-factor sign-in. Set it up under Two-factor sign-in first.',
  },
  // 422 with `field: 'code'`
  TOTP_CODE_INVALID: {
    status: 422,
    message: 'The code does not match. Check the time on your phone and enter the current code.',
  },
  TOTP_ALREADY_ENABLED: { status: 409, message: 'Two-factor sign-in is already on for this account.' },
  TOTP_NOT_ENABLED: { status: 409, message: 'Two-factor sign-in is not on for this account.' },
  TOTP_SETUP_MISSING: {
    status: 409,
    message: 'Start the set-up first: there is no new secret waiting for confirmation.',
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
  // 422 when the id came in the body (e.g. the certificate to serve), not in the address.
  CERTIFICATE_NOT_FOUND: {
    status: 404,
    message: 'There is no certificate with this id.',
    requestStatus: 422,
  },
  NO_PRIVATE_KEY: {
    status: 409,
    message:
      'No private key is stored for this certificate, so it cannot be exported with its key. Import the key first.',
    // 422 when the files a tool was given hold no key.
    requestStatus: 422,
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
  TOO_MANY_CERTIFICATES: {
    status: 422,
    message: 'The upload holds more certificates than certdesk reads at once (300).',
  },
  CERTIFICATE_UNSUPPORTED: {
    status: 422,
    message: 'The certificate uses a public-key algorithm certdesk cannot read.',
  },
  TOO_MANY_NAMES: {
    status: 422,
    message: 'The certificate lists more alternative names than certdesk reads (1,000).',
  },
  CERTIFICATE_TOO_COMPLEX: {
    status: 422,
    message: 'The certificate has more ASN.1 elements (names, policies, extensions) than certdesk reads.',
  },
  PFX_DAMAGED: { status: 422, message: 'The PFX/PKCS#12 file is damaged or truncated.' },
  PFX_UNSUPPORTED: { status: 422, message: 'The PFX uses an algorithm certdesk does not read.' },
  PFX_TOO_COSTLY: { status: 422, message: 'The PFX asks for too many key-derivation iterations.' },
  P7B_DAMAGED: { status: 422, message: 'The PKCS#7 (.p7b) bundle is damaged or truncated.' },
  P7B_EMPTY: {
    status: 422,
    message: 'The PKCS#7 (.p7b) bundle holds no certificate (it is empty or carries only revocation lists).',
  },
  // password-based key derivation (PFX and encrypted keys): checked before any work, run in a worker pool
  KDF_TOO_COSTLY: {
    status: 422,
    message:
      'The file asks for more costly key derivation than certdesk allows. Re-export it with default settings.',
  },
  KDF_TIMEOUT: {
    status: 422,
    message: 'Deriving the key from the password took too long, so certdesk stopped it.',
  },
  UNSUPPORTED_ENCRYPTION: {
    status: 422,
    message: 'The file is encrypted with an algorithm certdesk cannot decrypt. Re-export it with AES-256.',
  },
  NO_CERTIFICATE: { status: 422, message: 'The upload holds no certificate.' },
  // 409 for a stored key and certificate that disagree; 422 for an uploaded pair.
  KEY_MISMATCH: {
    status: 409,
    message: 'The private key does not belong to the certificate.',
    requestStatus: 422,
  },
  CERTIFICATE_NOT_YET_VALID: { status: 422, message: 'The certificate is not valid yet.' },
  CHAIN_NOT_TRUSTED: { status: 422, message: 'The chain does not verify to a trust anchor.' },
  EKU_NOT_SERVER_AUTH: {
    status: 422,
    message: 'The certificate is not allowed for TLS servers (extended key usage).',
  },
  KEY_TOO_WEAK: { status: 422, message: 'The key is too weak.' },
  WEAK_SIGNATURE: {
    status: 422,
    message: 'The certificate is signed with an algorithm browsers refuse (SHA-1, MD5 or another non-SHA-2).',
  },
  VALIDITY_TOO_LONG: {
    status: 422,
    message: 'The certificate is valid for longer than the CA/Browser Forum allows for its issue date.',
  },
  IMPORT_BLOCKED: { status: 422, message: 'A blocking pre-flight check failed.' },
  CERTIFICATE_EXISTS: { status: 409, message: 'This certificate is already imported.' },
  CERTIFICATE_HAS_KEY: {
    status: 409,
    message: 'This certificate already has its private key; there is nothing to attach.',
  },
  NOT_A_CA_CERTIFICATE: { status: 422, message: 'A trust anchor must be a CA certificate.' },
  NOT_A_SINGLE_CERTIFICATE: { status: 422, message: 'Upload exactly one root certificate.' },
  TRUST_ANCHOR_EXISTS: { status: 409, message: 'This root is already a trust anchor.' },
  TRUST_ANCHOR_NOT_ROOT: {
    status: 422,
    message: 'This CA certificate is not a root; add its root, or send allowIntermediate=true to trust it.',
  },
  TRUST_ANCHOR_UNUSABLE: {
    status: 422,
    message: 'This CA certificate could never validate a certificate, so it cannot be a trust anchor.',
  },
  UNSUPPORTED_KEY_TYPE: { status: 422, message: 'TLS certificates here need an RSA or ECDSA key.' },
  // files the tools and the import read (certificate module)
  NOT_A_PRIVATE_KEY: {
    status: 422,
    message: 'This is not a private key, or it is damaged: it cannot be read.',
  },
  KEY_PASSPHRASE_REQUIRED: { status: 422, message: 'The private key is encrypted. Enter its passphrase.' },
  KEY_NOT_ENCRYPTED: {
    status: 422,
    message: 'This private key is not encrypted: it needs no passphrase and is already readable.',
  },
  WRONG_PASSWORD: { status: 422, message: 'The password is wrong: the file could not be decrypted.' },
  NOT_A_CSR: { status: 422, message: 'This is not a certificate signing request, or it is damaged.' },
  TOO_MANY_KEYS: { status: 422, message: 'The upload holds more than one private key; send one.' },
  ONE_CERTIFICATE_ONLY: { status: 422, message: 'A DER file holds exactly one certificate.' },
  NO_CHAIN: {
    status: 409,
    message: 'No intermediate certificates are stored with this certificate, so there is no chain to export.',
  },
  // CSR and test-certificate fields (400 with `field`)
  INVALID_COMMON_NAME: { status: 400, message: 'The common name is not a valid host name.' },
  INVALID_COUNTRY: { status: 400, message: 'The country is not a two-letter ISO 3166 country code.' },
  INVALID_SUBJECT_FIELD: { status: 400, message: 'A subject field holds text a certificate cannot carry.' },
  INVALID_SUBJECT_ALT_NAME: {
    status: 400,
    message: 'An alternative name is not a valid host name or IP address.',
  },
  // HTTPS mode, server names and bindings (issue 6)
  INVALID_SERVER_NAME: { status: 400, message: 'The server name is not a host name.' },
  PORTS_MUST_DIFFER: { status: 422, message: 'The HTTP and HTTPS ports must be different.' },
  PORT_IN_USE: { status: 422, message: 'The port is already in use. Choose another port.' },
  PORT_NOT_PERMITTED: {
    status: 422,
    message: 'This process may not listen on the port. Choose a port above 1023.',
  },
  PORT_UNAVAILABLE: { status: 422, message: 'The port cannot be used.' },
  PORT_SET_BY_ENVIRONMENT: {
    status: 422,
    message:
      'This port is set by the environment (CERTDESK_HTTP_PORT or CERTDESK_HTTPS_PORT), which wins over the settings. Change it there and restart certdesk.',
  },
  HTTPS_CERTIFICATE_REQUIRED: {
    status: 422,
    message: 'Choose the certificate to serve before turning HTTPS on.',
  },
  HTTPS_NOT_RUNNING: { status: 409, message: 'HTTPS is off, so there is nothing to probe.' },
  CERTIFICATE_NAME_MISMATCH: {
    status: 422,
    message: 'The certificate does not cover the server names; browsers would refuse it.',
  },
  CERTIFICATE_KEY_MISSING: {
    status: 422,
    message: 'This certificate has no private key on this server, so it cannot be served.',
  },
  CERTIFICATE_KEY_UNUSABLE: {
    status: 422,
    message:
      'The private key of this certificate could not be loaded; the current certificate stays in service.',
  },
  BINDING_EXISTS: { status: 409, message: 'This host name is already bound. Delete that binding first.' },
  PENDING_CHANGE_EXISTS: {
    status: 409,
    message: 'An HTTPS change is waiting for confirmation. Confirm or cancel it first.',
  },
  NO_PENDING_CHANGE: { status: 409, message: 'There is no change waiting for confirmation.' },
  CONFIRM_WRONG_LISTENER: {
    status: 409,
    message: 'Confirm from the new address: a confirmation that arrives there proves it works.',
  },
  UNKNOWN_HOST: {
    status: 400,
    message:
      'HTTPS is on and this host name is not one of the server names, so there is nowhere safe to redirect to.',
  },
  CONFIRM_STALE_CONNECTION: {
    status: 409,
    message: 'This connection still shows the previous certificate. Wait ten seconds and confirm again.',
  },
  // ACME (API.md "Automatic renewal (ACME) and notifications")
  ACME_ACCOUNT_NOT_FOUND: { status: 404, message: 'There is no such ACME account.' },
  ACME_ORDER_NOT_FOUND: { status: 404, message: 'There is no such ACME order.' },
  ACME_ACCOUNT_FAILED: { status: 422, message: 'The CA refused to create the account.' },
  ACME_DIRECTORY_UNREACHABLE: {
    status: 422,
    message: 'The ACME directory could not be read. Check the URL and that this server can reach it.',
  },
  ACME_TERMS_NOT_AGREED: { status: 422, message: "Agree to the CA's terms of service to create an account." },
  ACME_ACCOUNT_IN_USE: {
    status: 409,
    message: 'ACME certificates or running orders use this account. Renew them with another account first.',
  },
  ACME_ORDER_FAILED: { status: 422, message: 'The CA did not issue the certificate.' },
  ACME_ORDER_IN_PROGRESS: {
    status: 409,
    message: 'An order for this certificate is already running. Wait for it to finish.',
  },
  ACME_ORDER_NOT_WAITING: {
    status: 409,
    message: 'This order is not waiting for DNS records; there is nothing to check.',
  },
  NOT_ACME_MANAGED: {
    status: 422,
    message: 'This certificate was not ordered over ACME, so certdesk cannot renew it by itself.',
  },
  RENEW_SUPERSEDED: {
    status: 409,
    message:
      'This version was already replaced by a newer one, which is the one that renews. Open the newest version to renew it.',
  },
  ACME_HOOK_UNKNOWN: {
    status: 422,
    message: 'There is no such hook. Hooks are declared in the file CERTDESK_DEPLOY_HOOKS names.',
  },
  // command line only (exit code 2, printed as CODE: sentence)
  USAGE_ERROR: { status: 400, message: 'The command line is not valid.' },
  FILE_NOT_FOUND: { status: 400, message: 'There is no such file.' },
  // 400 for a client error the framework raised without a code of its own
  BAD_REQUEST: { status: 400, message: 'The request is not valid.' },
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
  KDF_BUSY: {
    status: 503,
    message: 'The server is busy decrypting other password-protected files. Try again in a moment.',
  },
  KDF_UNAVAILABLE: {
    status: 503,
    message: 'The server could not derive the key from the password. Try again.',
  },
  // RSA key generation runs in the same low-priority worker pool as key derivation
  KEYGEN_BUSY: {
    status: 503,
    message: 'The server is already generating as many keys as it can queue. Try again in a moment.',
  },
  KEYGEN_TIMEOUT: {
    status: 503,
    message:
      'Generating the key took too long, so the server stopped it. Try again later, or choose a smaller key (RSA-2048 or ECDSA).',
  },
  KEYGEN_UNAVAILABLE: {
    status: 503,
    message: 'The server could not generate the key. Try again.',
  },
  // deployment targets (issue 12)
  DEPLOY_DISABLED: {
    status: 422,
    message:
      'Local deployment targets are turned off on this server. Set CERTDESK_DEPLOY_ROOTS to the directories certdesk may write to (separated by ":") and restart it.',
  },
  PATH_NOT_ALLOWED: {
    status: 422,
    message: 'This path is outside the directories certdesk may write to (CERTDESK_DEPLOY_ROOTS).',
  },
  UNKNOWN_HOOK: {
    status: 422,
    message: 'No reload hook has this name. Hooks are declared in the file named by CERTDESK_DEPLOY_HOOKS.',
  },
  DEPLOY_FAILED: {
    status: 422,
    message: 'The deployment failed and the previous files were put back.',
  },
  DEPLOY_IN_PROGRESS: {
    status: 409,
    message: 'This target is being deployed right now. Wait for that deployment to finish.',
  },
  SSH_UNAVAILABLE: {
    status: 422,
    message: 'Deployment over SSH is not available on this server.',
  },
  TARGET_NOT_FOUND: { status: 404, message: 'There is no deployment target with this id.' },
  TARGET_EXISTS: { status: 409, message: 'A deployment target with this name already exists.' },
  // deployment over SSH (issue 12); the transport passes a sentence with the details
  SSH_KEY_INVALID: {
    status: 422,
    message:
      'The SSH private key cannot be read. Paste the whole key in OpenSSH or PEM format, unencrypted or with its passphrase.',
  },
  SSH_HOST_KEY_INVALID: {
    status: 422,
    message:
      'The host key fingerprint must look like SHA256:<43 base64 characters>, as `ssh-keygen -l` prints it.',
  },
  SSH_HOST_KEY_MISMATCH: {
    status: 422,
    message:
      'The SSH server showed another host key than the pinned one, so certdesk did not connect. Compare the fingerprints.',
  },
  SSH_AUTH_FAILED: {
    status: 422,
    message: 'The SSH server refused the private key. Add its public key to authorized_keys of that user.',
  },
  SSH_UNREACHABLE: {
    status: 422,
    message: 'The SSH server could not be reached or stopped answering in time.',
  },
  DEPLOY_WRITE_FAILED: {
    status: 422,
    message: 'A file could not be written on the target; the files already replaced were put back.',
  },
  DEPLOY_RESTORE_FAILED: {
    status: 422,
    message: 'The previous files could not all be put back on the target. Check them by hand.',
  },
  // notifications and reminders (issue 13)
  INVALID_SMTP_HOST: { status: 422, message: 'The SMTP server is not a host name or IP address.' },
  INVALID_SMTP_PORT: { status: 422, message: 'The SMTP port must be a number from 1 to 65535.' },
  INVALID_EMAIL_ADDRESS: { status: 422, message: 'An e-mail address is not valid (name@example.com).' },
  NO_EMAIL_RECIPIENTS: { status: 422, message: 'Give at least one recipient for the e-mails.' },
  INVALID_WEBHOOK_URL: {
    status: 422,
    message: 'A webhook address must be an http:// or https:// URL without user name or password.',
  },
  INVALID_REMINDER_THRESHOLD: {
    status: 422,
    message: 'Each reminder threshold needs days (1–3650), a share of the lifetime (0–100%), or both.',
  },
  NO_NOTIFICATION_CHANNEL: {
    status: 409,
    message: 'No e-mail server or webhook is configured: there is nothing to send a test to.',
  },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof ERRORS;

/** Extra fields of an error answer (`field`, `file`, ...); never a status, which only the registry decides. */
export type ErrorDetails = Record<string, unknown> & { status?: never; statusCode?: never };

/** The codes that answer `requestStatus` when the fault is in what the request sent. */
export type RequestErrorCode = {
  [C in ErrorCode]: (typeof ERRORS)[C] extends { requestStatus: number } ? C : never;
}[ErrorCode];

/** Each code as a constant, so the UI compares `error.code === ERROR_CODES.WRONG_PASSWORD` (a typo fails typecheck). */
export const ERROR_CODES = Object.fromEntries(Object.keys(ERRORS).map((code) => [code, code])) as {
  readonly [C in ErrorCode]: C;
};

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERRORS, code);
}

/** The HTTP status of a code: the one place a status is decided. */
export function errorStatus(code: ErrorCode, inRequest = false): number {
  const definition: ErrorDefinition = ERRORS[code];
  return (inRequest ? definition.requestStatus : undefined) ?? definition.status;
}

import { ERRORS, type ErrorCode, type ErrorDetails, type RequestErrorCode } from '@certdesk/shared/errors';

/**
 * What the certificate core throws for input it refuses: a code declared in `@certdesk/shared/errors`, a
 * sentence a person understands, and details for the answer (the file, the report). No HTTP here: the
 * API's error handler and the command line map the code through the registry.
 */
export class CertError extends Error {
  override readonly name = 'CertError';
  readonly code: ErrorCode;
  readonly details: Readonly<ErrorDetails>;
  /** The fault is in the files or text the caller was given, not in stored data (see `requestStatus`). */
  readonly inRequest: boolean;

  constructor(code: ErrorCode, message?: string, details: ErrorDetails = {}, inRequest = false) {
    super(message ?? ERRORS[code].message);
    this.code = code;
    this.details = details;
    this.inRequest = inRequest;
  }

  /** For a code whose fault can also be in stored data: this time it is in the given input. */
  static inRequest(code: RequestErrorCode, message?: string, details?: ErrorDetails): CertError {
    return new CertError(code, message, details, true);
  }

  /** The same error told in a wider context (e.g. which uploaded file it concerns). */
  withMessage(message: string, details: ErrorDetails = {}): CertError {
    return new CertError(this.code, message, { ...this.details, ...details }, this.inRequest);
  }
}

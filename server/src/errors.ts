import {
  ERRORS,
  type ErrorCode,
  type ErrorDetails,
  errorStatus,
  type RequestErrorCode,
} from '@certdesk/shared/errors';

/**
 * The one error type routes, services and adapters throw; the error handler turns it into
 * `{ code, message, ...details }`. The code must be declared in `@certdesk/shared/errors`, which alone
 * decides the HTTP status; `message` replaces the registry's sentence when the throw site knows more.
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  /** Extra fields of the answer (`field`, `port`, ...). */
  readonly details: Readonly<ErrorDetails>;
  /** The fault is in what the request sent rather than in stored data (see `requestStatus`). */
  readonly inRequest: boolean;

  constructor(code: ErrorCode, message?: string, details: ErrorDetails = {}, inRequest = false) {
    super(message ?? ERRORS[code].message);
    this.code = code;
    this.details = details;
    this.inRequest = inRequest;
  }

  /** For a code whose fault can also be in stored data: this time it is in the request. */
  static inRequest(code: RequestErrorCode, message?: string, details?: ErrorDetails): AppError {
    return new AppError(code, message, details, true);
  }

  get statusCode(): number {
    return errorStatus(this.code, this.inRequest);
  }

  /** The same error told in a wider context (e.g. which binding it concerns). */
  withMessage(message: string, details: ErrorDetails = {}): AppError {
    return new AppError(this.code, message, { ...this.details, ...details }, this.inRequest);
  }
}

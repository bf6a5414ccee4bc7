import { ERRORS, type ErrorCode } from '@certdesk/shared';

/** The one error type routes and services throw; the error handler turns it into `{ code, message, ... }`. */
export class AppError extends Error {
  readonly code: ErrorCode | string;
  readonly statusCode: number;
  readonly extra: Record<string, unknown>;

  constructor(code: ErrorCode, message?: string, extra?: Record<string, unknown>);
  /** For codes owned by a pure module (e.g. the certificate module), which carry their own status. */
  constructor(code: string, message: string, extra: Record<string, unknown> & { status: number });
  constructor(code: string, message?: string, extra: Record<string, unknown> = {}) {
    const known = (ERRORS as Record<string, { status: number; message: string }>)[code];
    super(message ?? known?.message ?? code);
    const { status, ...rest } = extra as { status?: number };
    this.code = code;
    this.statusCode = status ?? known?.status ?? 500;
    this.extra = rest;
  }
}

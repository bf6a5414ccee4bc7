import { ErrorResponse } from '@certdesk/shared';

/** Response schemas for the error statuses a route can answer with. */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorResponse> {
  const out: Record<number, typeof ErrorResponse> = {};
  for (const s of new Set([401, 403, ...statuses])) out[s] = ErrorResponse;
  return out;
}

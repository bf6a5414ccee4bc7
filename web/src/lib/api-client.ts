import type { ErrorCode } from '@certdesk/shared/errors';

/**
 * The one way the console talks to /api: JSON in and out, the session cookie, and the CSRF token on every
 * state-changing request. Errors arrive as `{ code, message, ... }` and leave here as `ApiError`.
 */

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Names the bad input when the server says which one (e.g. `country` for INVALID_COUNTRY). */
  readonly field: string | undefined;
  /** The whole error body, for codes that carry more (e.g. an import `report`). */
  readonly body: Record<string, unknown>;

  constructor(status: number, body: Record<string, unknown>) {
    const message = typeof body.message === 'string' ? body.message : `The server answered ${status}.`;
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = typeof body.code === 'string' ? body.code : `HTTP_${status}`;
    this.field = typeof body.field === 'string' ? body.field : undefined;
    this.body = body;
  }
}

export function isApiError(error: unknown, code?: ErrorCode): error is ApiError {
  return error instanceof ApiError && (code === undefined || error.code === code);
}

let csrfToken: string | null = null;

/** Called with the token from login, setup and `GET /api/auth/me`; cleared on sign-out. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token || null;
}

type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: string;
  /** Sent as JSON unless it is FormData (sent as multipart, the browser writes the boundary). */
  body?: unknown;
  query?: Query;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export function buildUrl(path: string, query?: Query): string {
  const url = path.startsWith('/api') ? path : `/api${path.startsWith('/') ? '' : '/'}${path}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${url}?${qs}` : url;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const method = (options.method ?? 'GET').toUpperCase();
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) {
    body = options.body;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, {
      code: 'NETWORK_ERROR',
      message: 'The server cannot be reached. Check that certdesk is running and try again.',
    });
  }
  if (!response.ok) throw new ApiError(response.status, await readErrorBody(response));
  return response;
}

async function readErrorBody(response: Response): Promise<Record<string, unknown>> {
  const text = await response.text().catch(() => '');
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object') return parsed as Record<string, unknown>;
  } catch {
    // Not JSON (a proxy page, an empty body): fall through to a generic error.
  }
  return {
    code: `HTTP_${response.status}`,
    message: `The server answered ${response.status} ${response.statusText}.`,
  };
}

/** JSON request; resolves to the parsed body, or `undefined` for 204. */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => apiRequest<T>(path, { query, signal }),
  post: <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: 'POST', body }),
  put: <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: 'PUT', body }),
  patch: <T>(path: string, body?: unknown) => apiRequest<T>(path, { method: 'PATCH', body }),
  delete: <T = void>(path: string) => apiRequest<T>(path, { method: 'DELETE' }),
};

export type UploadValue = string | Blob | File | Array<Blob | File> | boolean | number | null | undefined;

/** Multipart upload: arrays become repeated parts (e.g. several `file` parts), null/undefined are left out. */
export function toFormData(fields: Record<string, UploadValue>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) {
      for (const item of value) form.append(name, item, item instanceof File ? item.name : undefined);
    } else if (value instanceof Blob) {
      form.append(name, value, value instanceof File ? value.name : undefined);
    } else {
      form.append(name, String(value));
    }
  }
  return form;
}

export function uploadRequest<T>(path: string, fields: Record<string, UploadValue> | FormData): Promise<T> {
  const body = fields instanceof FormData ? fields : toFormData(fields);
  return apiRequest<T>(path, { method: 'POST', body });
}

/** The filename from `content-disposition` (RFC 6266: `filename*=UTF-8''…` wins over `filename="…"`). */
export function filenameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // Malformed percent-encoding: try the plain form below.
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header);
  return plain?.[1]?.trim() || fallback;
}

export interface DownloadedFile {
  blob: Blob;
  filename: string;
}

/** Fetches a file (GET, or POST when a body is given) without saving it yet. */
export async function fetchFile(
  path: string,
  options: RequestOptions = {},
  fallbackName = 'download',
): Promise<DownloadedFile> {
  const method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
  const response = await send(path, { ...options, method, headers: { accept: '*/*', ...options.headers } });
  const blob = await response.blob();
  return {
    blob,
    filename: filenameFromDisposition(response.headers.get('content-disposition'), fallbackName),
  };
}

/** Hands a blob to the browser as a file download. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Revoke later: some browsers start reading the blob only after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Fetch + save in one call; resolves to the filename used. */
export async function downloadFile(
  path: string,
  options: RequestOptions = {},
  fallbackName = 'download',
): Promise<string> {
  const { blob, filename } = await fetchFile(path, options, fallbackName);
  saveBlob(blob, filename);
  return filename;
}

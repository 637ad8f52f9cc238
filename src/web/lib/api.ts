/** The one way the web app talks to the HTTP API: JSON both ways, cookie session, typed errors. */

export const apiBase = "/api/v1";

export type ErrorDetails = Record<string, unknown>;

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ErrorDetails;
  /** Seconds from the Retry-After header, when the server rate-limited us. */
  readonly retryAfter: number | null;

  constructor(
    status: number,
    code: string,
    message: string,
    details: ErrorDetails = {},
    retryAfter: number | null = null,
  ) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter;
  }
}

export function isApiError(err: unknown, status?: number): err is ApiError {
  return err instanceof ApiError && (status === undefined || err.status === status);
}

type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
export type Query = Record<string, string | number | boolean | null | undefined>;

/** Builds `/api/v1/path?…`, dropping empty values so filters can be passed through as they are. */
export function apiUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const qs = params.toString();
  return `${apiBase}${path}${qs ? `?${qs}` : ""}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseRetryAfter(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  // Retry-After may also be an HTTP date.
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

async function toApiError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Proxies and crashes answer with HTML or nothing; fall through to a generic error.
  }
  const retryAfter = parseRetryAfter(res.headers.get("Retry-After"));
  const error = isRecord(body) && isRecord(body.error) ? body.error : null;
  if (error) {
    const code = typeof error.code === "string" ? error.code : `http_${res.status}`;
    const message = typeof error.message === "string" ? error.message : res.statusText;
    const details = isRecord(error.details) ? error.details : {};
    return new ApiError(res.status, code, message, details, retryAfter);
  }
  return new ApiError(res.status, `http_${res.status}`, res.statusText || "Request failed", {}, retryAfter);
}

/**
 * The chat widget runs inside a host site's iframe, where a session cookie would be third-party (and belong to
 * whoever last signed in on this browser): it signs its requests with its own visitor token instead.
 */
let bearerToken: string | null = null;

export function setApiToken(token: string | null): void {
  bearerToken = token;
}

/** True in the widget: files must then be fetched with the token, since an <img src> sends no header. */
export function usesBearerToken(): boolean {
  return bearerToken !== null;
}

/** A same-origin file (an upload) as a Blob, with whatever credentials this page uses. */
export async function fetchBlob(url: string): Promise<Blob> {
  const res = await fetch(url, { headers: authHeaders(), credentials: "include" });
  if (!res.ok) throw await toApiError(res);
  return res.blob();
}

function authHeaders(): Record<string, string> {
  return bearerToken ? { Authorization: `Bearer ${bearerToken}` } : {};
}

async function parse<T>(res: Response): Promise<T> {
  if (!res.ok) throw await toApiError(res);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function request<T>(method: Method, path: string, body?: unknown, query?: Query): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", ...authHeaders() };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(apiUrl(path, query), {
    method,
    headers,
    credentials: "include",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return parse<T>(res);
}

/** One file as multipart (field "file"); the browser sets the boundary, so no Content-Type here. */
export async function uploadFile<T>(path: string, file: File): Promise<T> {
  const form = new FormData();
  form.append("file", file, file.name);
  const res = await fetch(apiUrl(path), {
    method: "POST",
    headers: { Accept: "application/json", ...authHeaders() },
    credentials: "include",
    body: form,
  });
  return parse<T>(res);
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>("GET", path, undefined, query),
  post: <T>(path: string, body?: unknown) => request<T>("POST", path, body ?? {}),
  patch: <T>(path: string, body: unknown) => request<T>("PATCH", path, body),
  delete: <T>(path: string) => request<T>("DELETE", path),
};

/**
 * Field-level messages from a 400 `validation_failed`, shaped `{fields: {name: message}}`.
 * Arrays of messages are joined so every form can show one line per field.
 */
export function fieldErrors(err: unknown): Record<string, string> {
  if (!isApiError(err) || !isRecord(err.details.fields)) return {};
  const out: Record<string, string> = {};
  for (const [field, value] of Object.entries(err.details.fields)) {
    if (typeof value === "string") out[field] = value;
    else if (Array.isArray(value)) out[field] = value.map(String).join(" ");
  }
  return out;
}

/** A sentence for the user, whatever was thrown. */
export function errorMessage(err: unknown): string {
  if (isApiError(err, 429) && err.retryAfter !== null) {
    return `Too many attempts, try again in ${err.retryAfter} s`;
  }
  if (err instanceof Error) return err.message;
  return "Something went wrong";
}

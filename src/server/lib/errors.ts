/** An error that becomes the API's error shape: {"error": {code, message, details}}. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const notFound = (what = "resource") => new HttpError(404, "not_found", `The ${what} was not found.`);
export const forbidden = (message = "You are not allowed to do this.") =>
  new HttpError(403, "forbidden", message);
export const unauthenticated = (message = "Sign in first.") => new HttpError(401, "unauthenticated", message);
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new HttpError(409, "conflict", message, details);
export const invalid = (fields: Record<string, string>) =>
  new HttpError(400, "validation_failed", "Some fields are not valid.", { fields });
export const rateLimited = (retryAfterSeconds: number) =>
  new HttpError(
    429,
    "rate_limited",
    `Too many attempts. Try again in ${retryAfterSeconds} seconds.`,
    undefined,
    {
      "retry-after": String(retryAfterSeconds),
    },
  );

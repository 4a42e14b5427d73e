/**
 * An error meant for the caller: its status and message go on the wire (in the plane's envelope).
 * Anything else that escapes a route is logged and answered with a fixed 500 message.
 */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string): HttpError => new HttpError(400, message);
export const notFound = (message: string): HttpError => new HttpError(404, message);
export const forbidden = (message: string): HttpError => new HttpError(403, message);
export const unauthorized = (message = 'Unauthorized', challenge = 'Bearer'): HttpError =>
  new HttpError(401, message, { 'WWW-Authenticate': challenge });

import { pino, type Logger, type DestinationStream } from 'pino';

/**
 * Paths pino blanks in every log line. Credentials must never reach a log, even at debug level.
 */
export const REDACT_PATHS = [
  'password', '*.password', 'new_password', '*.new_password', 'client_secret', '*.client_secret',
  'secret', '*.secret', 'token', '*.token', 'access_token', '*.access_token', 'refresh_token',
  '*.refresh_token', 'id_token', '*.id_token', 'code', '*.code', 'code_verifier', '*.code_verifier',
  'totp_code', '*.totp_code', 'req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]',
  'headers.authorization', 'headers.cookie', 'dbPass', '*.dbPass', 'adminPassword', '*.adminPassword',
];

export function createLogger(options: { level: string; destination?: DestinationStream | undefined }): Logger {
  return pino(
    { level: options.level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'microauthd' } },
    options.destination,
  );
}

export type { Logger };

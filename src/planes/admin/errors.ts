import { Conflict, Forbidden, InvalidCredentials, InvalidInput, NotFound } from '../../services/errors.js';
import type { ErrorSerializer } from '../shared/error-handler.js';

/** Service errors in the admin envelope `{"success":false,"message":…}` (contract.md). */
export const adminServiceErrors: ErrorSerializer = (err) => {
  const status = err instanceof InvalidCredentials ? 403
    : err instanceof NotFound ? 404
      : err instanceof Forbidden ? 403
        : err instanceof Conflict || err instanceof InvalidInput ? 400 : 0;
  return status ? { status, body: { success: false, message: (err as Error).message } } : null;
};

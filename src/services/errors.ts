/**
 * Service-level failures. Services never pick HTTP statuses; each plane maps these to its wire
 * envelope (see planes/<plane>/errors.ts).
 */
export class ServiceError extends Error {}

/** Wrong username/password, locked, inactive, or not allowed: deliberately indistinguishable. */
export class InvalidCredentials extends ServiceError {
  override readonly name = 'InvalidCredentials';
  constructor() {
    super('Invalid credentials');
  }
}

export class NotFound extends ServiceError {
  override readonly name = 'NotFound';
}

export class Conflict extends ServiceError {
  override readonly name = 'Conflict';
}

export class InvalidInput extends ServiceError {
  override readonly name = 'InvalidInput';
}

export class Forbidden extends ServiceError {
  override readonly name = 'Forbidden';
}

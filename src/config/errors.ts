/**
 * Thrown by loadConfig with EVERY problem found (style.md rule 8: report all
 * errors at once, so an operator fixes a config in one pass, not one per start).
 */
export class ConfigError extends Error {
  readonly errors: readonly string[];

  constructor(errors: readonly string[]) {
    super(errors.join('\n'));
    this.name = 'ConfigError';
    this.errors = Object.freeze([...errors]);
  }
}

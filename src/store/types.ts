/** Plain row types returned by the store. Booleans are converted from SQLite's 0/1. */

export type Plane = 'auth' | 'admin';

export interface UserRow {
  id: string;
  username: string;
  email: string;
  passwordHash: string;
  createdAt: string;
  modifiedAt: string;
  lastLogin: string | null;
  failedLogins: number;
  lastFailedLogin: string | null;
  lockoutUntil: string | null;
  isActive: boolean;
  emailVerified: boolean;
}

export interface SessionRow {
  id: string;
  userId: string;
  clientIdentifier: string;
  issuedAt: string;
  expiresAt: string;
  isRevoked: boolean;
  tokenUse: string;
  madUse: Plane;
  loginMethod: string | null;
  familyId: string | null;
  isSessionBased: boolean;
  sessionMaxAgeSeconds: number;
  sessionExpiresAt: string | null;
}

export interface NewSession {
  id: string;
  userId: string;
  clientIdentifier: string;
  issuedAt: string;
  expiresAt: string;
  madUse: Plane;
  loginMethod: string;
  familyId?: string | null;
}

/** What every privileged action records; see store/audit.ts for the chain. */
export interface AuditEntry {
  actorId: string | null;
  action: string;
  target?: string | null;
  secondary?: string | null;
  outcome?: 'success' | 'failure';
  ipAddress?: string | null;
  userAgent?: string | null;
}

export interface AuditRow {
  seq: number;
  id: string;
  actorId: string | null;
  action: string;
  target: string | null;
  secondary: string | null;
  outcome: string;
  timestamp: string;
  ipAddress: string | null;
  userAgent: string | null;
  prevHash: string;
  hash: string;
}

export type KeyStatus = 'current' | 'standby' | 'retired';

export interface SigningKeyRow {
  kid: string;
  plane: Plane;
  alg: 'RS256' | 'ES256';
  privateKeyPem: string;
  publicJwk: string;
  status: KeyStatus;
  createdAt: string;
  activatedAt: string | null;
  retiredAt: string | null;
  publishUntil: string | null;
}

/** Storage sentinels: services translate these, the HTTP layer never sees SQLite errors. */
export class StoreError extends Error {}
export class NotFoundError extends StoreError {
  override readonly name = 'NotFoundError';
}
export class AlreadyExistsError extends StoreError {
  override readonly name = 'AlreadyExistsError';
}
export class ConsumedError extends StoreError {
  override readonly name = 'ConsumedError';
}

/** Maps SQLite constraint failures to store sentinels; rethrows anything else. */
export function translateSqliteError(err: unknown, what: string): never {
  const code = (err as { code?: string }).code ?? '';
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    throw new AlreadyExistsError(`${what} already exists`);
  }
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') throw new NotFoundError(`${what}: referenced row not found`);
  throw err;
}

export const bool = (v: unknown): boolean => v === 1 || v === true;

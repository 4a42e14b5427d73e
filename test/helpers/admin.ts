import { expect } from 'vitest';
import { AdminClient, MadApiError } from '../../bindings/typescript/index.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME, type TestServer } from './server.js';

/** An AdminClient signed in as the test server's first administrator. */
export async function adminClient(server: TestServer): Promise<AdminClient> {
  const client = new AdminClient(server.adminUrl);
  await client.login(ADMIN_USERNAME, ADMIN_PASSWORD);
  return client;
}

/** Expects the call to fail with this status (and, when given, a message matching `message`). */
export async function expectApiError(call: Promise<unknown>, status: number, message?: RegExp | string): Promise<MadApiError> {
  const err = await call.then(() => null, (e: unknown) => e);
  expect(err, 'expected the call to fail').toBeInstanceOf(MadApiError);
  const apiErr = err as MadApiError;
  expect(apiErr.status, apiErr.message).toBe(status);
  if (message !== undefined) expect(apiErr.message).toMatch(message);
  return apiErr;
}

let counter = 0;
export const unique = (prefix: string): string => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;

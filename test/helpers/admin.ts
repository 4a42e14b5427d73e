import { expect } from 'vitest';
import { AdminClient, MadApiError } from '../../bindings/typescript/index.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME, startTestServer, type TestServer } from './server.js';

/** An AdminClient signed in as the test server's first administrator. */
export async function adminClient(server: TestServer): Promise<AdminClient> {
  const client = new AdminClient(server.adminUrl);
  await client.login(ADMIN_USERNAME, ADMIN_PASSWORD);
  return client;
}

/**
 * A test server (started with `args`) and an admin signed in to it; with `client`, also a client of
 * that identifier, whose internal id is `clientId`. Use in `beforeAll`, and close `server` in `afterAll`.
 */
export async function startAdminServer(o: { args?: string[]; client?: string } = {}): Promise<{ server: TestServer; admin: AdminClient; clientId: string }> {
  const server = await startTestServer(o.args);
  const admin = await adminClient(server);
  const clientId = o.client ? (await admin.createClient({ client_id: o.client })).id : '';
  return { server, admin, clientId };
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

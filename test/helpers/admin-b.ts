import { AdminClient } from '../../bindings/typescript/index.js';
import { MadApiError } from '../../bindings/typescript/models.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME, type TestServer } from './server.js';

/** An AdminClient logged in as the first admin. */
export async function adminClient(server: TestServer): Promise<AdminClient> {
  const admin = new AdminClient(server.adminUrl);
  await admin.login(ADMIN_USERNAME, ADMIN_PASSWORD);
  return admin;
}

/** The MadApiError a call fails with (fails the test if it succeeds). */
export async function failure(p: Promise<unknown>): Promise<MadApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof MadApiError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

/** The seeded protected admin:* scopes (reference/schema.md). */
export const SEEDED_SCOPES = {
  provisionUsers: 'd0955db1-67f7-4a7b-a9bb-ffbef4f0d2bd',
  resetPasswords: '2192998b-c3d3-4274-9a25-4a4195ba2ec7',
} as const;

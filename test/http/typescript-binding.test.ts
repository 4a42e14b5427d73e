/**
 * bindings/typescript beyond what the route tests exercise: the transport against small fake servers
 * (every non-2xx answer and every broken exchange is a MadApiError).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from '../../bindings/typescript/admin-client.js';
import { MadApiError } from '../../bindings/typescript/models.js';

const hits: string[] = [];
const answers: Record<string, { status: number; type: string; body: string }> = {
  '/oauth': { status: 400, type: 'application/json', body: '{"error":"invalid_grant","error_description":"Invalid credentials"}' },
  '/envelope': { status: 404, type: 'application/json', body: '{"success":false,"message":"Role not found"}' },
  '/json-string': { status: 400, type: 'application/json', body: '"Invalid credentials"' },
  '/text': { status: 429, type: 'text/plain', body: 'Too Many Requests' },
  '/empty': { status: 401, type: 'application/json', body: '' },
};
let fake: Server;
let fakeUrl: string;

beforeAll(async () => {
  fake = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/redirect') {
      res.writeHead(302, { Location: '/elsewhere' }).end();
    } else if (req.url === '/broken') { // promises 100 bytes, sends 10, hangs up
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
      res.write('{"message"', () => res.destroy());
    } else if (req.url === '/slow') {
      setTimeout(() => res.end('{}'), 2_000).unref();
    } else {
      const a = answers[req.url ?? ''] ?? { status: 200, type: 'application/json', body: '{"message":"ok"}' };
      res.writeHead(a.status, { 'Content-Type': a.type }).end(a.body);
    }
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  fakeUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
});
afterAll(async () => {
  fake.closeAllConnections();
  await new Promise((resolve) => fake.close(resolve));
});

async function failure(path: string, timeoutMs = 5_000): Promise<MadApiError> {
  const client = new AdminClient({ baseUrl: fakeUrl, token: 'secret-admin-token', timeoutMs });
  const err = await client.transport.request({ method: 'GET', path }).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(MadApiError);
  return err as MadApiError;
}

describe('transport', () => {
  it('a redirect is an error and is not followed', async () => {
    const err = await failure('/redirect');
    expect(err.status).toBe(302);
    expect(err.message).toContain('/elsewhere');
    expect(hits).not.toContain('/elsewhere');
  });

  it('error bodies of every shape keep the server\'s words', async () => {
    const expected: Record<string, [number, string, string | undefined]> = {
      '/oauth': [400, 'Invalid credentials', 'invalid_grant'],
      '/envelope': [404, 'Role not found', undefined],
      '/json-string': [400, 'Invalid credentials', undefined],
      '/text': [429, 'Too Many Requests', undefined],
      '/empty': [401, 'HTTP 401', undefined],
    };
    for (const [path, [status, message, error]] of Object.entries(expected)) {
      const err = await failure(path);
      expect([err.status, err.message, err.error], path).toEqual([status, message, error]);
    }
  });

  it('a broken answer and a timeout are status 0 with their cause', async () => {
    const broken = await failure('/broken');
    expect(broken.status).toBe(0);
    expect(broken.cause).toBeInstanceOf(Error);
    const slow = await failure('/slow', 200);
    expect(slow.status).toBe(0);
    expect(slow.cause).toBeInstanceOf(Error);
  });
});

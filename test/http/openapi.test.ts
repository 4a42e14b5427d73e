import { request } from 'node:http';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unique } from '../helpers/admin.js';
import { bearer, form, http, jsonBody } from '../helpers/http.js';
import { servedRoutes } from '../helpers/routes.js';
import { ADMIN_PASSWORD, ADMIN_USERNAME, startTestServer, type TestServer } from '../helpers/server.js';

/** OpenAPI documents are walked as plain JSON. */
type Doc = any;
type Plane = 'auth' | 'admin';

// ajv-formats is CommonJS: its default export arrives wrapped under NodeNext.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const urlOf = (server: TestServer, plane: Plane) => (plane === 'auth' ? server.authUrl : server.adminUrl);

async function documentOf(server: TestServer, plane: Plane): Promise<Doc> {
  const r = await http(`${urlOf(server, plane)}/openapi.json`);
  expect(r.status, `${plane} /openapi.json`).toBe(200);
  expect(r.headers.get('content-type')).toMatch(/^application\/json/);
  return r.json;
}

/** The documented operations as `METHOD /path/{}` (parameter names do not matter to a router). */
function documented(doc: Doc): string[] {
  return Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
    Object.keys(item).filter((k) => HTTP_METHODS.includes(k)).map((m) => `${m.toUpperCase()} ${path.replace(/\{\w+\}/g, '{}')}`));
}

/**
 * Raw node:http, answering the status only: fetch refuses TRACE, and adds `Cache-Control: no-cache`
 * to conditional requests (Fetch spec), which forbids a 304.
 */
function statusOf(url: string, method: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      res.resume().on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject).end();
  });
}

/**
 * What the running plane's routers serve, as `METHOD /path/{}`. A `router.all` layer counts for
 * each OpenAPI method its handler answers: a 404/405/501 means it passed the request on.
 */
async function served(server: TestServer, plane: Plane): Promise<string[]> {
  const out: string[] = [];
  for (const { method, path } of servedRoutes(server.apps[plane])) {
    const norm = path.replace(/\{\w+\}/g, '{}');
    if (method !== '*') {
      out.push(`${method} ${norm}`);
      continue;
    }
    for (const m of HTTP_METHODS.filter((x) => x !== 'head')) {
      const status = await statusOf(`${urlOf(server, plane)}${path.replace(/\{\w+\}/g, 'x')}`, m.toUpperCase());
      if (![404, 405, 501].includes(status)) out.push(`${m.toUpperCase()} ${norm}`);
    }
  }
  return out;
}

async function expectDocumentMatchesRoutes(server: TestServer, plane: Plane): Promise<Doc> {
  const doc = await documentOf(server, plane);
  const docs = documented(doc);
  const routes = await served(server, plane);
  expect(routes.length).toBeGreaterThan(10);
  expect(new Set(routes).size, 'a route served twice').toBe(routes.length);
  expect(new Set(docs).size, 'two documented paths differ only in parameter names').toBe(docs.length);
  expect(routes.filter((r) => !docs.includes(r)), `${plane}: served but not documented`).toEqual([]);
  expect(docs.filter((d) => !routes.includes(d)), `${plane}: documented but not served`).toEqual([]);
  return doc;
}

/** JSON Schema validator over the document's components (OpenAPI 3.1 schemas are JSON Schema 2020-12). */
function validatorFor(doc: Doc) {
  const rewrite = (value: unknown): unknown => JSON.parse(JSON.stringify(value).replaceAll('#/components/schemas/', '#/$defs/'));
  const defs = rewrite(doc.components.schemas);
  const ajv = addFormats(new Ajv2020({ strict: true, allErrors: true }));
  return (schema: unknown) => ajv.compile({ ...(rewrite(schema) as object), $defs: defs });
}

/** Validates `body` against the schema the document gives for that operation and status. */
function expectDocumented(doc: Doc, route: string, status: number, body: unknown): void {
  const [method = '', path = ''] = route.split(' ');
  const res = doc.paths[path]?.[method.toLowerCase()]?.responses?.[String(status)];
  expect(res, `${route} documents ${status}`).toBeDefined();
  const validate = validatorFor(doc)(res.content['application/json'].schema);
  expect(validate(body) ? [] : validate.errors, `${route} ${status}: ${JSON.stringify(body)}`).toEqual([]);
}

describe('with the flags off (default)', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer(); });
  afterAll(async () => { await server?.close(); });

  it('serves neither /openapi.json nor /swagger on either plane', async () => {
    for (const plane of ['auth', 'admin'] as const) {
      for (const path of ['/openapi.json', '/swagger', '/swagger/', '/swagger/swagger-ui-bundle.js']) {
        expect((await http(`${urlOf(server, plane)}${path}`, { redirect: 'manual' })).status, `${plane} ${path}`).toBe(404);
      }
    }
  });
});

describe('with enable-openapi', () => {
  let server: TestServer;
  const docs: Partial<Record<Plane, Doc>> = {};
  beforeAll(async () => {
    server = await startTestServer(['--enable-openapi']);
    docs.auth = await documentOf(server, 'auth');
    docs.admin = await documentOf(server, 'admin');
  });
  afterAll(async () => { await server?.close(); });

  it('documents exactly the routes each plane serves', async () => {
    await expectDocumentMatchesRoutes(server, 'auth');
    await expectDocumentMatchesRoutes(server, 'admin');
  });

  it('is an OpenAPI 3.1 document: info, summaries, responses, body media types, declared parameters', () => {
    for (const plane of ['auth', 'admin'] as const) {
      const doc = docs[plane];
      expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
      expect(doc.info.title).toContain(plane.toUpperCase());
      expect(doc.info.version).toMatch(/^\d+\.\d+\.\d+/);
      const ids = new Set<string>();
      for (const [path, item] of Object.entries<any>(doc.paths)) {
        expect(path).toMatch(/^\//);
        for (const [method, op] of Object.entries<any>(item)) {
          const where = `${plane} ${method} ${path}`;
          expect(HTTP_METHODS, where).toContain(method);
          expect(op.summary, where).toMatch(/\S/);
          expect(ids.has(op.operationId), `${where} operationId`).toBe(false);
          ids.add(op.operationId);
          const statuses = Object.keys(op.responses ?? {});
          expect(statuses.some((s) => /^[23]\d\d$/.test(s)), `${where} success response`).toBe(true);
          for (const s of statuses) expect(op.responses[s].description, `${where} ${s}`).toMatch(/\S/);
          if (op.requestBody) {
            const types = Object.keys(op.requestBody.content);
            expect(types.length, `${where} body media types`).toBeGreaterThan(0);
            for (const t of types) {
              expect(['application/json', 'application/x-www-form-urlencoded'], where).toContain(t);
              expect(op.requestBody.content[t].schema, `${where} ${t} schema`).toBeTypeOf('object');
            }
          }
          const declared = (op.parameters ?? []).filter((p: any) => p.in === 'path').map((p: any) => p.name);
          expect(declared.sort(), `${where} path parameters`).toEqual([...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort());
          for (const alt of op.security ?? doc.security) {
            for (const scheme of Object.keys(alt)) expect(doc.components.securitySchemes[scheme], `${where} ${scheme}`).toBeDefined();
          }
        }
      }
    }
  });

  it('compiles every component schema and resolves every $ref', () => {
    for (const plane of ['auth', 'admin'] as const) {
      const doc = docs[plane];
      const compile = validatorFor(doc);
      for (const name of Object.keys(doc.components.schemas)) expect(() => compile({ $ref: `#/components/schemas/${name}` }), name).not.toThrow();
      for (const [, ref] of JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)) {
        expect(doc.components.schemas[ref as string], `${plane} $ref ${ref}`).toBeDefined();
      }
    }
  });

  it('states security: admin bearer except the public routes; client auth on the token endpoints; the issuer as server', () => {
    const admin = docs.admin;
    expect(admin.security).toEqual([{ bearerAuth: [] }]);
    expect(admin.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    const open = Object.entries<any>(admin.paths).flatMap(([path, item]) =>
      Object.entries<any>(item).filter(([, op]) => Array.isArray(op.security) && op.security.length === 0).map(([m]) => `${m} ${path}`));
    expect(open.sort()).toEqual(['get /jwks.json', 'get /openapi.json', 'get /ping', 'get /version', 'post /token']);
    expect(admin.servers).toBeUndefined();

    const auth = docs.auth;
    expect(auth.servers).toEqual([{ url: 'http://127.0.0.1' }]);
    for (const path of ['/token', '/introspect', '/revoke']) {
      expect(auth.paths[path].post.security, path).toEqual([{ clientBasic: [] }, {}]);
    }
    expect(auth.paths['/token'].post.requestBody.content).toHaveProperty(['application/x-www-form-urlencoded']);
    expect(auth.paths['/me'].get.security).toEqual([{ bearerAuth: [] }]);
  });

  it('serves the document as a cacheable static document, not rate-limited', async () => {
    const first = await http(`${server.adminUrl}/openapi.json`);
    expect(first.headers.get('etag')).toMatch(/^"/);
    expect(await statusOf(`${server.adminUrl}/openapi.json`, 'GET', { 'If-None-Match': first.headers.get('etag') ?? '' })).toBe(304);
    expect(first.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it('answers match their documented schemas: POST /token, admin POST /users and GET /users, errors', async () => {
    const login = await http(`${server.adminUrl}/token`, form({ username: ADMIN_USERNAME, password: ADMIN_PASSWORD, client_id: 'admin' }));
    expectDocumented(docs.admin, 'POST /token', 200, login.json);
    const admin = login.json.access_token as string;

    const username = unique('oa');
    const created = await http(`${server.adminUrl}/users`, bearer(admin, jsonBody({ username, email: `${username}@example.com`, password: 'open-api-pass-1' })));
    expect(created.status).toBe(200);
    expectDocumented(docs.admin, 'POST /users', 200, created.json);
    const listed = await http(`${server.adminUrl}/users?limit=5`, bearer(admin));
    expect(listed.json.length).toBeGreaterThan(0);
    expectDocumented(docs.admin, 'GET /users', 200, listed.json);
    const missing = await http(`${server.adminUrl}/users/no-such-user`, bearer(admin));
    expect(missing.status).toBe(404);
    expectDocumented(docs.admin, 'GET /users/{id}', 404, missing.json);

    const client = await http(`${server.adminUrl}/clients`, bearer(admin, jsonBody({ client_id: unique('oa-client-') })));
    expectDocumented(docs.admin, 'POST /clients', 200, client.json);
    const sessions = await http(`${server.adminUrl}/sessions?limit=5`, bearer(admin));
    expect(sessions.json.length).toBeGreaterThan(0);
    expectDocumented(docs.admin, 'GET /sessions', 200, sessions.json);

    const basic = `Basic ${Buffer.from(`${client.json.client_id}:${client.json.client_secret}`).toString('base64')}`;
    const token = await http(`${server.authUrl}/token`, { ...form({ grant_type: 'password', username, password: 'open-api-pass-1' }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic } });
    expect(token.status).toBe(200);
    expectDocumented(docs.auth, 'POST /token', 200, token.json);
    const wrong = await http(`${server.authUrl}/token`, { ...form({ grant_type: 'password', username, password: 'wrong-password' }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic } });
    expect(wrong.status).toBe(400);
    expectDocumented(docs.auth, 'POST /token', 400, wrong.json);
    const me = await http(`${server.authUrl}/me/sessions`, bearer(token.json.access_token));
    expectDocumented(docs.auth, 'GET /me/sessions', 200, me.json);
    const noBearer = await http(`${server.authUrl}/me`);
    expect(noBearer.status).toBe(401);
    expectDocumented(docs.auth, 'GET /me', 401, noBearer.json);
  });

  /** An admin token, a user (and its auth-plane token) and a client, for the sweeps below to fill path parameters with. */
  async function sweepFixtures(prefix: string) {
    const login = await http(`${server.adminUrl}/token`, form({ username: ADMIN_USERNAME, password: ADMIN_PASSWORD, client_id: 'admin' }));
    const admin = login.json.access_token as string;
    const username = unique(prefix);
    const userId = (await http(`${server.adminUrl}/users`, bearer(admin, jsonBody({ username, email: `${username}@example.com`,
      password: 'open-api-pass-1' })))).json.id as string;
    const client = (await http(`${server.adminUrl}/clients`, bearer(admin, jsonBody({ client_id: unique(`${prefix}-`) })))).json;
    const user = (await http(`${server.authUrl}/token`, form({ grant_type: 'password', username, password: 'open-api-pass-1',
      client_id: client.client_id, client_secret: client.client_secret }))).json.access_token as string;
    return { admin, username, userId, client, user };
  }

  it('answers every GET with a documented status, media type and body', async () => {
    const { admin, username, userId, client, user } = await sweepFixtures('oa-get');

    const checked: string[] = [];
    for (const [plane, token] of [['admin', admin], ['auth', user]] as const) {
      const doc = docs[plane];
      for (const [path, item] of Object.entries<any>(doc.paths)) {
        if (!item.get) continue;
        // Parameters get a real user id (or plane, client): other ids answer 404s, which must be documented too.
        const values: Record<string, string> = { plane: 'auth', clientId: client.client_id, username, name: 'MadAdmin' };
        const url = path.replace(/\{(\w+)\}/g, (_, p: string) => encodeURIComponent(values[p] ?? userId));
        const r = await http(`${urlOf(server, plane)}${url}`, { ...bearer(token), redirect: 'manual' });
        const where = `${plane} GET ${url} → ${r.status}`;
        const documentedAnswer = item.get.responses[String(r.status)];
        expect(documentedAnswer, `${where} is a documented status`).toBeDefined();
        const type = (r.headers.get('content-type') ?? '').split(';')[0] ?? '';
        if (!documentedAnswer.content) continue;
        expect(Object.keys(documentedAnswer.content), where).toContain(type);
        if (type === 'application/json') expectDocumented(doc, `GET ${path}`, r.status, r.json);
        checked.push(where);
      }
    }
    expect(checked.length).toBeGreaterThan(60);
  });

  it('answers every other operation, sent an empty JSON object, with a documented status and body', async () => {
    const { admin, userId, client, user } = await sweepFixtures('oa-any');

    let checked = 0;
    for (const [plane, token] of [['admin', admin], ['auth', user]] as const) {
      const doc = docs[plane];
      for (const [path, item] of Object.entries<any>(doc.paths)) {
        for (const [method, op] of Object.entries<any>(item)) {
          if (method === 'get' || method === 'options' || path === '/verify') continue;
          // Side effects stay on this test's own user and client; the admin's token is never the target.
          const values: Record<string, string> = { plane: 'auth', clientId: client.id, flag: 'ENABLE_TOTP' };
          const url = path.replace(/\{(\w+)\}/g, (_, p: string) => encodeURIComponent(values[p] ?? userId));
          const r = await http(`${urlOf(server, plane)}${url}`, { ...bearer(token, op.requestBody ? jsonBody({}, method.toUpperCase())
            : { method: method.toUpperCase() }), redirect: 'manual' });
          const where = `${plane} ${method.toUpperCase()} ${url} → ${r.status} ${r.text.slice(0, 120)}`;
          const answer = op.responses[String(r.status)];
          expect.soft(answer, `${where} is a documented status`).toBeDefined(); // soft: report every gap at once
          if (!answer) continue;
          const type = (r.headers.get('content-type') ?? '').split(';')[0] ?? '';
          if (answer.content) expect(Object.keys(answer.content), where).toContain(type);
          if (type === 'application/json' && answer.content) expectDocumented(doc, `${method.toUpperCase()} ${path}`, r.status, r.json);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(60);
  });

  it('rejects an answer that breaks a documented schema (the check can fail)', () => {
    const validate = validatorFor(docs.admin)({ $ref: '#/components/schemas/UserObject' });
    expect(validate({ id: 'x', username: 'a', email: 'a@b.c', created_at: 'yesterday', lockout_until: null, is_active: true,
      email_verified: false, totp_enabled: false })).toBe(false);
  });
});

describe('with the optional route groups switched off', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(['--enable-openapi', '--enable-pkce', 'false', '--disable-token-refresh',
      '--enable-token-revocation', 'false']);
  });
  afterAll(async () => { await server?.close(); });

  it('still documents exactly what is served, and nothing of the switched-off groups', async () => {
    const auth = await expectDocumentMatchesRoutes(server, 'auth');
    const admin = await expectDocumentMatchesRoutes(server, 'admin');
    expect(Object.keys(auth.paths)).not.toContain('/authorize');
    expect(Object.keys(auth.paths)).not.toContain('/revoke');
    expect(auth.paths['/token'].post.requestBody.content['application/x-www-form-urlencoded'].schema.properties.grant_type.enum)
      .toEqual(['password', 'client_credentials']);
    expect(Object.keys(admin.paths).filter((p) => p.startsWith('/refresh-tokens') || p === '/revoke')).toEqual([]);
  });
});

describe('with enable-admin-swagger only', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer(['--enable-admin-swagger', '--rate-limit-admin', '2']); });
  afterAll(async () => { await server?.close(); });

  it('serves the UI and the document on the ADMIN plane only', async () => {
    const redirect = await http(`${server.adminUrl}/swagger`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('swagger/');
    const page = await http(`${server.adminUrl}/swagger/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).not.toMatch(/<script>|<script [^>]*>[^<]/); // no inline script
    const csp = page.headers.get('content-security-policy') ?? '';
    for (const part of ["script-src 'self'", "frame-ancestors 'none'", "form-action 'self'", "connect-src 'self'"]) expect(csp).toContain(part);
    expect(csp).not.toContain('unsafe');
    const js = await http(`${server.adminUrl}/swagger/swagger-ui-bundle.js`);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await http(`${server.adminUrl}/swagger/initializer.js`)).text).toContain('openapi.json');
    expect((await http(`${server.adminUrl}/openapi.json`)).status).toBe(200);
    for (const path of ['/swagger/package.json', '/swagger/../package.json', '/swagger/swagger-ui-bundle.js.map']) {
      expect((await http(`${server.adminUrl}${path}`)).status, path).toBe(404);
    }
    for (const path of ['/openapi.json', '/swagger/']) expect((await http(`${server.authUrl}${path}`)).status, `auth ${path}`).toBe(404);
  });

  it('is not rate-limited, like the other public documents', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await http(`${server.adminUrl}/swagger/`)).status, (await http(`${server.adminUrl}/openapi.json`)).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    // The limiter is on (2 per window) for the API itself.
    const api = [];
    for (let i = 0; i < 4; i++) api.push((await http(`${server.adminUrl}/users`)).status);
    expect(api).toContain(429);
  });
});

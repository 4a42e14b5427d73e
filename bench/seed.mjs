// Seeds the benchmark database: through the admin API for what a user would create, and through
// the store (a second connection to the same file) for bulk rows no API would create in seconds.
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dist = (p) => new URL(`../dist/src/${p}`, import.meta.url).href;

async function api(base, method, path, { token, json, form } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  let body;
  if (json !== undefined) { headers['Content-Type'] = 'application/json'; body = JSON.stringify(json); }
  if (form !== undefined) { headers['Content-Type'] = 'application/x-www-form-urlencoded'; body = new URLSearchParams(form).toString(); }
  const res = await fetch(base + path, { method, headers, body });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

export async function seed({ server, dbFile, dir, poolSize, users }) {
  const { authUrl, adminUrl } = server;
  const admin = await api(adminUrl, 'POST', '/token', { form: { username: 'admin', password: 'bench-admin-password', client_id: 'admin' } });
  const token = admin.access_token;
  const scope = await api(adminUrl, 'POST', '/scopes', { token, json: { name: 'bench.read', desc: 'benchmark scope' } });
  const client = await api(adminUrl, 'POST', '/clients', { token, json: { client_id: 'bench-cc', display_name: 'Benchmark', audience: 'bench-api' } });
  await api(adminUrl, 'POST', `/clients/${client.id}/scopes`, { token, json: { scope_ids: [scope.id] } });
  const username = 'benchuser';
  const password = 'bench-user-password-1';
  const user = await api(adminUrl, 'POST', '/users', { token, json: { username, email: 'bench@example.com', password } });
  const basic = `Basic ${Buffer.from(`${encodeURIComponent('bench-cc')}:${encodeURIComponent(client.client_secret)}`).toString('base64')}`;
  const grant = await fetch(`${authUrl}/token`, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: basic },
    body: new URLSearchParams({ grant_type: 'password', username, password }).toString(),
  }).then((r) => r.json());
  if (!grant.access_token) throw new Error(`password grant failed: ${JSON.stringify(grant)}`);

  // Bulk rows through the data-access layer of the build under test.
  const { createStore, openDatabase } = await import(dist('store/index.js'));
  const { newRefreshToken, refreshTokenDigest, newJti } = await import(dist('crypto/secrets.js'));
  const store = createStore(openDatabase({ file: dbFile, key: readFileSync(`${dbFile}.key`, 'utf8').trim(), synchronous: 'NORMAL' }));
  try {
    const hash = (await store.users.findByUsername(username)).passwordHash;
    for (let i = 0; i < users; i++) {
      await store.users.create({ id: randomUUID(), username: `user${String(i).padStart(5, '0')}`, email: `user${i}@example.com`, passwordHash: hash });
    }
    const pool = [];
    const now = new Date();
    const expires = new Date(now.getTime() + 3600_000).toISOString();
    for (let i = 0; i < poolSize; i++) {
      const { id, token: raw } = newRefreshToken();
      pool.push(raw);
      await store.refreshTokens.issueWithSession(
        { id: newJti(), userId: user.id, clientIdentifier: 'bench-cc', issuedAt: now.toISOString(), expiresAt: expires, madUse: 'auth', loginMethod: 'pwd' },
        { id, tokenSha256: refreshTokenDigest(raw), familyId: randomUUID(), expiresAt: expires },
      );
    }
    const refreshPoolFile = join(dir, 'refresh-pool.txt');
    writeFileSync(refreshPoolFile, `${pool.join('\n')}\n`);
    return { authUrl, adminUrl, adminToken: token, basic, username, password, accessToken: grant.access_token, refreshPoolFile };
  } finally {
    store.close();
  }
}

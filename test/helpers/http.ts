import { expect } from 'vitest';

/** Tiny fetch wrappers for tests: they keep the status, headers and parsed body together. */
export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export async function http(url: string, init: RequestInit = {}): Promise<HttpResult> {
  const res = await fetch(url, init);
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export const form = (fields: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});

export const jsonBody = (value: unknown, method = 'POST'): RequestInit => ({
  method,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(value),
});

export const bearer = (token: string, init: RequestInit = {}): RequestInit => ({
  ...init,
  headers: { ...(init.headers as Record<string, string> | undefined), Authorization: `Bearer ${token}` },
});

/**
 * The rule every JSON route follows (docs/admin-api.md "Request bodies"): a form body, malformed JSON,
 * a JSON array and no body are each 400, with their own message in the message envelope.
 */
export async function expectJsonBodyRule(url: string, token: string, method = 'POST'): Promise<void> {
  const send = (contentType: string | undefined, body: string | undefined) =>
    http(url, bearer(token, { method, ...(contentType ? { headers: { 'Content-Type': contentType } } : {}), ...(body !== undefined ? { body } : {}) }));
  const answers = [
    await send('application/x-www-form-urlencoded', 'name=x'),
    await send('application/json', '{"name":'),
    await send('application/json', '[{"name":"x"}]'),
    await send(undefined, undefined),
  ].map((r) => [r.status, r.json]);
  expect(answers).toEqual([
    [400, { success: false, message: 'Unsupported content type; expected application/json' }],
    [400, { success: false, message: 'Malformed JSON body' }],
    [400, { success: false, message: 'Request body must be an object' }],
    [400, { success: false, message: 'Invalid payload' }],
  ]);
}

/**
 * The HTTP core shared by AdminClient and AuthClient: Node's fetch only, no other dependency.
 * Every non-2xx answer becomes a MadApiError carrying the status and the server's message; a request
 * that gets no complete answer (no connection, timeout, broken body) is a MadApiError with status 0
 * and the network error as its `cause`. Redirects are never followed. A 2xx answer that is not JSON
 * (another web server at the base URL, say) is a MadApiError with its status, unless the request says
 * it reads something else (`expectJson: false`).
 */
import { MadApiError } from './models.js';

export interface TransportOptions {
  baseUrl: string;
  /** Bearer token sent with every request (admin token, or an auth-plane access token). */
  token?: string | undefined;
  /** Per-request timeout in milliseconds (default 30 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  userAgent?: string;
}

export type Body =
  | { json: unknown }
  | { form: Record<string, string | undefined> }
  | undefined;

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: Body;
  /** Extra headers (e.g. HTTP Basic client authentication). */
  headers?: Record<string, string>;
  /** Send no bearer token even if the transport has one. */
  anonymous?: boolean;
  /** A 3xx answer is the result (read its Location), not an error. */
  acceptRedirect?: boolean;
  /**
   * The 2xx answer must be JSON (the default): anything else — an empty body, another content type, malformed
   * JSON — is a MadApiError with its status. `false` for the routes that answer otherwise (the PEM, /verify's
   * headers, a redirect); their body is then the text as is.
   */
  expectJson?: boolean;
}

export interface RawResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

export class Transport {
  readonly baseUrl: string;
  token: string | undefined;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly userAgent: string;

  constructor(options: TransportOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.fetchImpl = options.fetch ?? fetch;
    this.userAgent = options.userAgent ?? 'microauthd-ts-binding';
  }

  /** Sends a request and returns the parsed JSON body; throws MadApiError on non-2xx. */
  async request<T>(spec: RequestSpec): Promise<T> {
    return (await this.raw(spec)).body as T;
  }

  /** Like request(), but also returns status and headers (X-Total-Count, …). */
  async raw(spec: RequestSpec): Promise<RawResponse> {
    const url = new URL(this.baseUrl + spec.path);
    for (const [k, v] of Object.entries(spec.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': this.userAgent, ...spec.headers };
    if (this.token && !spec.anonymous && !headers.Authorization) headers.Authorization = `Bearer ${this.token}`;
    let body: string | undefined;
    if (spec.body && 'json' in spec.body) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(spec.body.json);
    } else if (spec.body && 'form' in spec.body) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      const form = new URLSearchParams();
      for (const [k, v] of Object.entries(spec.body.form)) if (v !== undefined) form.set(k, v);
      body = form.toString();
    }
    let res: Response;
    try {
      res = await this.fetchImpl(url, { method: spec.method, headers, signal: AbortSignal.timeout(this.timeoutMs), redirect: 'manual', ...(body !== undefined ? { body } : {}) });
    } catch (err) {
      throw new MadApiError(0, `cannot reach ${this.baseUrl}: ${(err as Error).message}`, undefined, undefined, { cause: err });
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw new MadApiError(0, `no complete answer from ${this.baseUrl}: ${(err as Error).message}`, undefined, undefined, { cause: err });
    }
    let parsed: unknown = text;
    const contentType = res.headers.get('content-type') ?? '';
    let notJson = !text ? 'an empty body' : contentType.includes('json') ? '' : contentType.split(';')[0]!.trim() || 'no content type';
    if (!notJson) {
      try {
        parsed = JSON.parse(text);
      } catch (err) {
        notJson = `malformed JSON (${(err as Error).message})`;
      }
    }
    if (res.status >= 400) throw MadApiError.fromResponse(res.status, parsed);
    // Not followed (`redirect: 'manual'`): a POST would become a GET, and the bearer token could go elsewhere.
    if (res.status >= 300 && !spec.acceptRedirect) {
      throw new MadApiError(res.status, `unexpected redirect (HTTP ${res.status}) to ${res.headers.get('location') ?? ''}`, parsed);
    }
    if (notJson && res.status < 300 && spec.expectJson !== false) {
      throw new MadApiError(res.status,
        `expected JSON from ${spec.method} ${spec.path}, got ${notJson} (HTTP ${res.status}); is ${this.baseUrl} a microauthd server?`, parsed);
    }
    return { status: res.status, headers: res.headers, body: text === '' ? undefined : parsed };
  }
}

export const enc = encodeURIComponent;

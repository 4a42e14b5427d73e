import type { Context } from 'koa';
import type { AuthenticatedClient, ClientAuth } from '../../services/client-auth.js';
import { InvalidClient, InvalidRequest } from './errors.js';

export interface PresentedClient {
  clientId: string;
  clientSecret: string;
  /** The credentials came in an `Authorization: Basic` header. */
  basic: boolean;
}

/** application/x-www-form-urlencoded decoding of one Basic credential part (RFC 6749 §2.3.1). */
function formDecode(part: string): string | null {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return null;
  }
}

/**
 * The client's credentials from HTTP Basic (RFC 6749 §2.3.1: split at the first ':', then
 * form-decode each part) or the form fields `client_id` / `client_secret`. Basic wins; a form
 * value that contradicts it is `invalid_request` (§2.3: one authentication method per request).
 */
export function presentedClient(ctx: Context, fields: Record<string, unknown>): PresentedClient {
  const formId = typeof fields.client_id === 'string' ? fields.client_id.trim() : '';
  const formSecret = typeof fields.client_secret === 'string' ? fields.client_secret : '';
  const header = ctx.get('Authorization');
  const m = /^Basic[ \t]+([A-Za-z0-9+/]+={0,2})[ \t]*$/i.exec(header);
  if (!m?.[1]) {
    if (/^Basic\b/i.test(header)) throw new InvalidClient('Malformed Basic credentials', true);
    return { clientId: formId, clientSecret: formSecret, basic: false };
  }
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const id = colon < 0 ? null : formDecode(decoded.slice(0, colon));
  const secret = colon < 0 ? null : formDecode(decoded.slice(colon + 1));
  if (id === null || secret === null || !id) throw new InvalidClient('Malformed Basic credentials', true);
  if ((formId && formId !== id) || (formSecret && formSecret !== secret)) {
    throw new InvalidRequest('Client credentials in both the Authorization header and the body differ');
  }
  return { clientId: id, clientSecret: secret, basic: true };
}

/** Authenticates the presented client or throws 401 `invalid_client`. */
export async function authenticatedClient(presented: PresentedClient, clientAuth: ClientAuth): Promise<AuthenticatedClient> {
  const client = await clientAuth(presented.clientId, presented.clientSecret);
  if (!client) throw new InvalidClient('Invalid client credentials', presented.basic);
  return client;
}

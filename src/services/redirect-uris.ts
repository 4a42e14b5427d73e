import type { Store } from '../store/index.js';
import type { RedirectUriRow } from '../store/clients.js';
import { AlreadyExistsError } from '../store/types.js';
import type { ClientService } from './clients.js';
import { InvalidInput, NotFound } from './errors.js';
import type { RequestContext } from './request-context.js';

export interface ClientRedirectUriObject {
  id: string;
  client_id: string;
  redirect_uri: string;
}

const toWire = (r: RedirectUriRow): ClientRedirectUriObject => ({ id: r.id, client_id: r.clientId, redirect_uri: r.uri });
const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * null when acceptable, else why not. RFC 6749 §3.1.2: absolute, no fragment. https, or http only
 * for loopback (RFC 8252 §7.3); a private-use scheme like `com.example.app:/cb` for native apps
 * (RFC 8252 §7.1). `javascript:`/`data:`/`file:` and friends are refused.
 */
export function redirectUriProblem(uri: string): string | null {
  if (uri.length > 2048) return 'Redirect URI is too long';
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return 'Redirect URI must be an absolute URI';
  }
  if (uri.includes('#')) return 'Redirect URI must not contain a fragment';
  const scheme = u.protocol.slice(0, -1);
  if (scheme === 'https') return u.hostname ? null : 'Redirect URI must have a host';
  if (scheme === 'http') return LOOPBACK.has(u.hostname) ? null : 'http redirect URIs are allowed only for loopback hosts';
  if (['javascript', 'data', 'file', 'vbscript', 'blob', 'about', 'ftp', 'ws', 'wss'].includes(scheme)) {
    return `The '${scheme}' scheme is not allowed for redirect URIs`;
  }
  // Private-use schemes must look like reverse domain names (RFC 8252 §7.1).
  return scheme.includes('.') ? null : 'Custom redirect URI schemes must be reverse domain names (e.g. com.example.app)';
}

export function createRedirectUriService(deps: { store: Pick<Store, 'clients'>; clients: ClientService }) {
  return {
    async add(clientKey: string, uri: string, rc: RequestContext): Promise<ClientRedirectUriObject> {
      if (!uri) throw new InvalidInput('Client ID and redirect URI are required');
      const problem = redirectUriProblem(uri);
      if (problem) throw new InvalidInput(problem);
      const c = await deps.clients.resolve(clientKey);
      try {
        return toWire(await deps.store.clients.addRedirectUri(c.id, uri, { ...rc, action: 'redirect_uri_added', target: c.id, secondary: uri }));
      } catch (err) {
        if (err instanceof AlreadyExistsError) throw new InvalidInput('Redirect URI already registered for this client');
        throw err;
      }
    },

    async list(clientKey: string): Promise<ClientRedirectUriObject[]> {
      const c = await deps.clients.resolve(clientKey);
      return (await deps.store.clients.listRedirectUris(c.id)).map(toWire);
    },

    async delete(id: string, rc: RequestContext): Promise<void> {
      const gone = await deps.store.clients.deleteRedirectUri(id, { ...rc, action: 'redirect_uri_removed', target: id });
      if (!gone) throw new NotFound('Redirect URI not found');
    },
  };
}

export type RedirectUriService = ReturnType<typeof createRedirectUriService>;

import type { Store } from '../store/index.js';
import type { ExternalIdpInput, ExternalIdpRow } from '../store/clients.js';
import { AlreadyExistsError } from '../store/types.js';
import type { ClientService } from './clients.js';
import { InvalidInput, NotFound } from './errors.js';
import type { RequestContext } from './request-context.js';

/**
 * An issuer is an https URL (OpenID Connect Discovery 1.0 §4.3; http only on a loopback host, for
 * development), or empty when not configured yet.
 */
function checkIssuer(issuer: string | undefined): void {
  if (!issuer) return;
  let url: URL | null = null;
  try {
    url = new URL(issuer);
  } catch {
    url = null;
  }
  const loopback = url !== null && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (!url || !(url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) || url.hash || url.search) {
    throw new InvalidInput('issuer must be an https URL without query or fragment');
  }
}

export interface ExternalIdpProviderDto {
  id: string;
  client_id: string;
  provider_key: string;
  display_name: string;
  issuer: string;
  client_identifier: string;
  scopes: string;
  created_at: string;
  modified_at: string;
}

const toWire = (r: ExternalIdpRow): ExternalIdpProviderDto => ({
  id: r.id, client_id: r.clientId, provider_key: r.providerKey, display_name: r.displayName, issuer: r.issuer,
  client_identifier: r.clientIdentifier, scopes: r.scopes, created_at: r.createdAt, modified_at: r.modifiedAt,
});

export const DEFAULT_IDP_SCOPES = 'openid email profile';

/** External identity providers configured per client (reference routes 69–72). */
export function createExternalIdpService(deps: { store: Pick<Store, 'clients'>; clients: ClientService }) {
  const dup = (err: unknown): never => {
    if (err instanceof AlreadyExistsError) throw new InvalidInput('The client already has a provider with that provider_key');
    throw err;
  };
  return {
    async list(clientKey: string): Promise<ExternalIdpProviderDto[]> {
      return (await deps.store.clients.listIdps((await deps.clients.resolve(clientKey)).id)).map(toWire);
    },

    async create(clientKey: string, input: Partial<ExternalIdpInput>, rc: RequestContext): Promise<ExternalIdpProviderDto> {
      if (!input.providerKey) throw new InvalidInput('Client ID and provider key are required');
      checkIssuer(input.issuer);
      const c = await deps.clients.resolve(clientKey);
      const row = await deps.store.clients.createIdp(c.id, {
        providerKey: input.providerKey.toLowerCase(), displayName: input.displayName ?? '', issuer: input.issuer ?? '',
        clientIdentifier: input.clientIdentifier ?? '', scopes: input.scopes || DEFAULT_IDP_SCOPES,
      }, { ...rc, action: 'external_idp_created', target: c.id, secondary: input.providerKey }).catch(dup);
      return toWire(row);
    },

    async update(clientKey: string, id: string, input: Partial<ExternalIdpInput>, rc: RequestContext): Promise<ExternalIdpProviderDto> {
      if (!id) throw new InvalidInput('Provider ID is required');
      checkIssuer(input.issuer);
      const c = await deps.clients.resolve(clientKey);
      const patch = { ...input, ...(input.providerKey ? { providerKey: input.providerKey.toLowerCase() } : {}) };
      if (patch.providerKey === '') delete patch.providerKey;
      const row = await deps.store.clients.updateIdp(c.id, id, patch,
        { ...rc, action: 'external_idp_updated', target: c.id, secondary: id }).catch(dup);
      if (!row) throw new NotFound('External IDP provider not found');
      return toWire(row);
    },

    async delete(clientKey: string, id: string, rc: RequestContext): Promise<void> {
      const c = await deps.clients.resolve(clientKey);
      if (!(await deps.store.clients.deleteIdp(c.id, id, { ...rc, action: 'external_idp_deleted', target: c.id, secondary: id }))) {
        throw new NotFound('External IDP provider not found');
      }
    },
  };
}

export type ExternalIdpService = ReturnType<typeof createExternalIdpService>;

#!/usr/bin/env node
// The benchmark's peer: panva's oidc-provider (in-memory storage, its default adapter) issuing
// signed JWT access tokens for client_credentials. Run as a child process (bench/peer.mjs) so it
// has its own event loop, like our server. Usage: node bench/peer-server.mjs ES256|RS256
// Prints one line when listening: `peer ready: <url> token <path>`.
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import Provider, { errors } from 'oidc-provider';
import { PEER_CLIENT_ID, PEER_CLIENT_SECRET, PEER_SCOPE } from './peer.mjs';

const PEER_RESOURCE = 'urn:microauthd:bench-api'; // resource indicators must be absolute URIs
const PEER_AUDIENCE = 'bench-api'; // the audience our bench client gets

const KEYS = {
  ES256: () => generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  RS256: () => generateKeyPairSync('rsa', { modulusLength: 2048 }),
};

/** oidc-provider configuration for one signing algorithm. */
function peerConfiguration(alg, jwk) {
  return {
    clients: [{
      client_id: PEER_CLIENT_ID,
      client_secret: PEER_CLIENT_SECRET,
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_basic',
      response_types: [],
      redirect_uris: [],
    }],
    // Without this the (lazily validated) client defaults to RS256 ID tokens and an ES256-only keystore
    // fails its first request with invalid_client_metadata.
    clientDefaults: { id_token_signed_response_alg: alg },
    jwks: { keys: [jwk] },
    scopes: [PEER_SCOPE],
    ttl: { ClientCredentials: 900 }, // our --token-expiration default (a constant, not the default function)
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // client_credentials access tokens are opaque unless bound to a resource server whose format is jwt.
      // defaultResource makes the request body identical to ours (no `resource` parameter needed).
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => PEER_RESOURCE,
        useGrantedResource: async () => false,
        getResourceServerInfo: async (_ctx, indicator) => {
          if (indicator !== PEER_RESOURCE) throw new errors.InvalidTarget();
          return {
            scope: PEER_SCOPE,
            audience: PEER_AUDIENCE,
            accessTokenTTL: 900,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg } },
          };
        },
      },
    },
  };
}

async function main() {
  const alg = process.argv[2] ?? 'ES256';
  if (!KEYS[alg]) {
    process.stderr.write(`peer-server: alg must be one of ${Object.keys(KEYS).join(', ')}\n`);
    process.exit(2);
  }
  const { privateKey } = KEYS[alg]();
  const jwk = { ...privateKey.export({ format: 'jwk' }), alg, use: 'sig', kid: `bench-${alg.toLowerCase()}` };

  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(url, peerConfiguration(alg, jwk));
  // Unexpected failures go to stderr (captured by bench/peer.mjs), never per-request logs.
  provider.on('server_error', (_ctx, err) => process.stderr.write(`peer server_error: ${err?.stack ?? err}\n`));
  server.on('request', provider.callback());

  const tokenPath = provider.pathFor('token');
  process.stdout.write(`peer ready: ${url} token ${tokenPath}\n`);
  const stop = () => process.exit(0);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

await main();

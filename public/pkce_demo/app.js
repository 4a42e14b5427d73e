// PKCE demo (RFC 7636): a public client in the browser. No secrets; the verifier lives in sessionStorage
// for the round trip only. Served by the auth plane with --serve-public-auth-files.
'use strict';
/* global location, btoa, atob, document, sessionStorage, history */

const redirectUri = location.origin + location.pathname;
const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const random = (n) => b64url(crypto.getRandomValues(new Uint8Array(n)));
const status = (text) => { document.getElementById('status').textContent = text; };

function decodeJwt(token) {
  const [header, payload] = token.split('.').slice(0, 2).map((part) => {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    return JSON.parse(decodeURIComponent(Array.from(json, (c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join('')));
  });
  return JSON.stringify({ header, payload }, null, 2);
}

async function start(event) {
  event.preventDefault();
  const clientId = document.getElementById('client_id').value.trim();
  const scope = document.getElementById('scope').value.trim();
  const verifier = random(32);
  const challenge = b64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const state = random(16);
  const nonce = random(16);
  sessionStorage.setItem('pkce_demo', JSON.stringify({ clientId, verifier, state, nonce }));
  const params = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: redirectUri, scope, state, nonce,
    code_challenge: challenge, code_challenge_method: 'S256' });
  location.assign('/authorize?' + params.toString());
}

async function finish(query) {
  const saved = JSON.parse(sessionStorage.getItem('pkce_demo') || 'null');
  sessionStorage.removeItem('pkce_demo');
  if (query.get('error')) return status('Authorization failed: ' + query.get('error') + ' ' + (query.get('error_description') || ''));
  if (!saved || query.get('state') !== saved.state) return status('State mismatch: start again.');
  document.getElementById('client_id').value = saved.clientId;
  status('Exchanging the code…');
  const res = await fetch('/token', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: query.get('code'), redirect_uri: redirectUri,
      client_id: saved.clientId, code_verifier: saved.verifier }) });
  const body = await res.json();
  history.replaceState(null, '', redirectUri);
  if (!res.ok) return status('Token request failed: ' + (body.error_description || body.error || res.status));
  document.getElementById('response').textContent = JSON.stringify(body, null, 2);
  document.getElementById('access_token').textContent = decodeJwt(body.access_token);
  document.getElementById('id_token').textContent = body.id_token ? decodeJwt(body.id_token) : '(none: add openid to the scope)';
  if (body.id_token && JSON.parse(decodeJwt(body.id_token)).payload.nonce !== saved.nonce) return status('Nonce mismatch!');
  document.getElementById('result').hidden = false;
  status('Signed in.');
}

document.getElementById('start').addEventListener('submit', (e) => { start(e).catch((err) => status(String(err))); });
const query = new URLSearchParams(location.search);
if (query.has('code') || query.has('error')) finish(query).catch((err) => status(String(err)));

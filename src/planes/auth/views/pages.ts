import { createHash } from 'node:crypto';
import { html, Html } from '../../../../common/html.js';

/** The pages' only style sheet, inline and allowed by its hash (CSP Level 2 §4.2): no inline script anywhere. */
const STYLE = `body{font-family:system-ui,sans-serif;background:#f4f5f7;color:#1d2330;margin:0}
main{max-width:22rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 4px rgba(0,0,0,.15)}
h1{font-size:1.4rem;margin:0 0 .5rem}p.for{margin:0 0 1.5rem;color:#4a5366}
label{display:block;font-weight:600;margin:1rem 0 .3rem}
input{box-sizing:border-box;width:100%;padding:.6rem;font-size:1rem;border:1px solid #8a93a6;border-radius:4px}
input:focus{outline:3px solid #3b6fd8;outline-offset:1px}
button{margin-top:1.5rem;width:100%;padding:.7rem;font-size:1rem;background:#2453b3;color:#fff;border:0;border-radius:4px;cursor:pointer}
.error{background:#fdecea;color:#8a1c12;padding:.6rem;border-radius:4px;margin-bottom:1rem}`;
const STYLE_HASH = `sha256-${createHash('sha256').update(STYLE).digest('base64')}`;

/** CSP for the hosted pages; the form may post to us and be redirected on to the client's origin only. */
export function pageCsp(redirectOrigin?: string): string {
  return `default-src 'none'; style-src '${STYLE_HASH}'; script-src 'self'; img-src 'self' data:; base-uri 'none'; `
    + `form-action 'self'${redirectOrigin ? ` ${redirectOrigin}` : ''}; frame-ancestors 'none'`;
}

/** The same text for every failure, so the page reveals nothing about which check failed. */
export const GENERIC_ERROR = 'Sign-in failed. Check your details and try again.';

function layout(title: string, body: Html): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${title}</title><style>${new Html(STYLE)}</style></head>
<body><main>${body}</main></body></html>`.value;
}

export interface LoginPageInput {
  jti: string;
  csrf: string;
  clientName: string;
  error: boolean;
  username?: string;
}

const errorBox = (show: boolean): Html | '' =>
  show ? html`<p class="error" role="alert">${GENERIC_ERROR}</p>` : '';

export function loginPage(p: LoginPageInput): string {
  return layout('Sign in', html`<h1>Sign in</h1><p class="for">to continue to ${p.clientName}</p>${errorBox(p.error)}
<form method="post" action="/login">
<input type="hidden" name="jti" value="${p.jti}"><input type="hidden" name="csrf" value="${p.csrf}">
<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" required autofocus value="${p.username ?? ''}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>`);
}

export function totpPage(p: Omit<LoginPageInput, 'username'>): string {
  return layout('Verification code', html`<h1>Verification code</h1><p class="for">Enter the 6-digit code from your authenticator app for ${p.clientName}.</p>${errorBox(p.error)}
<form method="post" action="/totp">
<input type="hidden" name="jti" value="${p.jti}"><input type="hidden" name="csrf" value="${p.csrf}">
<label for="totp_code">Code</label>
<input id="totp_code" name="totp_code" type="text" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required autofocus>
<button type="submit">Verify</button>
</form>`);
}

export function errorPage(message: string): string {
  return layout('Sign-in error', html`<h1>Sign-in error</h1><p class="error" role="alert">${message}</p>`);
}

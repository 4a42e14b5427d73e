import { html, type Html } from '../../common/html.js';

export interface PageContext {
  title: string;
  /** Signed-in admin (absent on the login page). */
  username?: string | undefined;
  csrf?: string | undefined;
  flash?: { kind: 'ok' | 'error'; text: string } | undefined;
}

const NAV: [string, string][] = [
  ['/dashboard', 'Overview'], ['/dashboard/users', 'Users'], ['/dashboard/roles', 'Roles'], ['/dashboard/permissions', 'Permissions'],
  ['/dashboard/scopes', 'Scopes'], ['/dashboard/clients', 'Clients'], ['/dashboard/sessions', 'Sessions'],
  ['/dashboard/refresh-tokens', 'Refresh tokens'], ['/dashboard/audit', 'Audit log'], ['/dashboard/keys', 'Signing keys'],
  ['/dashboard/tools/token', 'Token viewer'],
];

/** The page frame: navigation, flash message, sign-out form (CSRF-protected), no scripts. */
export function layout(page: PageContext, body: Html): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} · microauthd</title>
<link rel="stylesheet" href="/dashboard/assets/style.css">
</head>
<body>
<header class="top">
  <a class="brand" href="/dashboard">microauthd</a>
  ${page.username ? html`<nav aria-label="Main">${NAV.map(([href, label]) => html`<a href="${href}">${label}</a>`)}</nav>
  <form method="post" action="/dashboard/logout" class="signout">
    <input type="hidden" name="_csrf" value="${page.csrf}">
    <span>${page.username}</span> <button type="submit">Sign out</button>
  </form>` : ''}
</header>
<main>
  <h1>${page.title}</h1>
  ${page.flash ? html`<p class="flash ${page.flash.kind}" role="status">${page.flash.text}</p>` : ''}
  ${body}
</main>
</body>
</html>`;
}

/** A hidden CSRF field for forms. */
export const csrfField = (csrf: string | undefined): Html => html`<input type="hidden" name="_csrf" value="${csrf}">`;

/** A simple table from rows. */
export function table<T>(rows: readonly T[], columns: [string, (r: T) => unknown][], empty = 'Nothing here yet.'): Html {
  if (rows.length === 0) return html`<p class="empty">${empty}</p>`;
  return html`<table><thead><tr>${columns.map(([h]) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>${rows.map((r) => html`<tr>${columns.map(([, f]) => html`<td>${f(r)}</td>`)}</tr>`)}</tbody></table>`;
}

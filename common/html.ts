/**
 * Code shared by the server (src/) and the dashboard (dashboard/), which may not import each other
 * (eslint.config.js zones): pure functions only, importing nothing from the repository. Here: the one
 * escaping tagged template behind every HTML page (the auth plane's hosted pages and the dashboard).
 *
 * Every interpolated value is HTML-escaped unless it is already `Html` (the result of another `html`
 * template); arrays are joined; null, undefined and false render as nothing. Pages are composed from
 * these only, so reflected input always renders as text.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

// The backtick too: old IE treated it as an attribute quote.
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => ESCAPES[c] ?? c);
}

function render(value: unknown): string {
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === null || value === undefined || value === false) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

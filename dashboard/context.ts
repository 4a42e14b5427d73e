import type { Context } from 'koa';
import { AdminClient } from '../bindings/typescript/index.js';
import type { DashboardSession, Sealer } from './session.js';

export interface DashboardDeps {
  /** The admin API's base URL (this same server, over loopback). */
  adminUrl: () => string;
  sealer: Sealer;
  /** Mark cookies Secure (the admin plane is served over TLS). */
  secureCookies: boolean;
}

export interface DashState {
  session: DashboardSession | null;
  form: Record<string, string>;
}

export const state = (ctx: Context): DashState => ctx.state as DashState;

/** The binding, carrying the signed-in administrator's token. */
export function clientFor(ctx: Context, deps: DashboardDeps): AdminClient {
  return new AdminClient({ baseUrl: deps.adminUrl(), token: state(ctx).session?.token, userAgent: 'microauthd-dashboard' });
}

import { api, type Json } from '../api.js';
import { command, group } from '../command.js';
import { intOption, required, s, type Y } from '../options.js';

const sessionColumns = [{ header: 'Id', value: (x: Json) => x.id }, { header: 'UserId', value: (x: Json) => x.user_id },
  { header: 'Client', value: (x: Json) => x.client_id }, { header: 'Use', value: (x: Json) => x.mad_use },
  { header: 'Revoked', value: (x: Json) => x.is_revoked }, { header: 'Expires At', value: (x: Json) => x.expires_at }];
const refreshColumns = [{ header: 'Id', value: (x: Json) => x.id }, { header: 'User Id', value: (x: Json) => x.user_id },
  { header: 'Client', value: (x: Json) => x.client_id }, { header: 'Revoked', value: (x: Json) => x.is_revoked },
  { header: 'Expires At', value: (x: Json) => x.expires_at }];

const purgeOptions = (y: Y) => y.option('older-than', intOption('older-than', { demandOption: true, describe: 'Seconds' }))
  .option('expired', { type: 'boolean', default: false }).option('revoked', { type: 'boolean', default: false }) as never;
type PurgeArgs = { 'older-than': number; expired: boolean; revoked: boolean };
const purgeBody = (a: PurgeArgs) => ({ older_than_seconds: a['older-than'], purge_expired: a.expired, purge_revoked: a.revoked });

const list = command('list', 'List sessions', (y) => y as never, async (_a, cli) => {
  cli.out.list((await api.listSessions(cli.client())).items, sessionColumns, '(no sessions)');
});

const get = command<{ id: string }>('get', 'Show a session', required('id'), async (a, cli) => {
  const x = await api.getSession(cli.client(), a.id);
  cli.out.result(x, () => ['Session Details:', `Id         : ${s(x.id)}`, `UserId     : ${s(x.user_id)}`, `Client     : ${s(x.client_id)}`,
    `Use        : ${s(x.mad_use)}`, `Revoked    : ${x.is_revoked ? 'True' : 'False'}`, `Expires At : ${s(x.expires_at)}`]);
});

const introspect = command<{ token: string }>('introspect', 'Introspect an auth-plane token', required('token'), async (a, cli) => {
  const claims = await api.introspect(cli.client(), a.token);
  cli.out.result(claims, () => ['Token Claims:', '-'.repeat(50), ...Object.entries(claims).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)]);
});

const listByUser = command<{ 'user-id': string }>('list-by-user', 'Sessions of a user', required('user-id'), async (a, cli) => {
  cli.out.list((await api.sessionsOfUser(cli.client(), a['user-id'])).items, sessionColumns, '(no sessions)');
});

const revoke = command<{ id: string }>('revoke', 'Revoke a session (its access token)', required('id'), async (a, cli) => {
  await api.revokeSession(cli.client(), a.id);
  cli.out.message(`Revoked session '${a.id}'`);
});

const purge = command<PurgeArgs>('purge', 'Delete old expired and/or revoked sessions', purgeOptions, async (a, cli) => {
  const res = await api.purgeSessions(cli.client(), purgeBody(a));
  cli.out.result(res, () => res.message || 'Session purge completed.');
});

export const sessionctlCommands = group('sessionctl', 'Server-side sessions', [list, get, introspect, listByUser, revoke, purge] as never[]);

const rtList = command('list', 'List refresh tokens', (y) => y as never, async (_a, cli) => {
  cli.out.list((await api.listRefreshTokens(cli.client())).items, refreshColumns, '(no refresh tokens)');
});

const rtListByUser = command<{ 'user-id': string }>('list-by-user', 'Refresh tokens of a user', required('user-id'), async (a, cli) => {
  cli.out.list((await api.refreshTokensOfUser(cli.client(), a['user-id'])).items, refreshColumns, '(no refresh tokens)');
});

const rtGet = command<{ id: string }>('get', 'Show a refresh token', required('id'), async (a, cli) => {
  const x = await api.getRefreshToken(cli.client(), a.id);
  cli.out.result(x, () => [`Id:        ${s(x.id)}`, `UserId:    ${s(x.user_id)}`, `IssuedAt:  ${s(x.issued_at)}`, `ExpiresAt: ${s(x.expires_at)}`,
    `Revoked:   ${x.is_revoked ? 'True' : 'False'}`, `Client:    ${s(x.client_id)}`]);
});

const rtPurge = command<PurgeArgs>('purge-refresh', 'Delete old expired and/or revoked refresh tokens', purgeOptions, async (a, cli) => {
  const res = await api.purgeRefreshTokens(cli.client(), purgeBody(a));
  cli.out.result(res, () => res.message || 'Refresh token purge completed.');
});

export const refreshtokenCommands = group('refreshtoken', 'Refresh tokens', [rtList, rtListByUser, rtGet, rtPurge] as never[]);

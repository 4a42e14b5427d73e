import { api } from '../api.js';
import { command, group } from '../command.js';
import { UsageError } from '../errors.js';
import { intOption, required, s } from '../options.js';

const list = command<{ 'user-id'?: string; action?: string; limit?: number }>('list', 'List audit records (newest first)',
  (y) => y.option('user-id', { type: 'string' }).option('action', { type: 'string' }).option('limit', intOption('limit')) as never,
  async (a, cli) => {
    const { items } = await api.listAudit(cli.client(), { userId: a['user-id'], action: a.action, limit: a.limit });
    cli.out.list(items, [{ header: 'Id', value: (x) => x.id }, { header: 'User', value: (x) => x.actor_id }, { header: 'Action', value: (x) => x.action },
      { header: 'Target', value: (x) => x.target }, { header: 'Secondary', value: (x) => x.secondary }, { header: 'Time', value: (x) => x.timestamp }],
    '(no audit log entries)');
  });

const get = command<{ id: string }>('get', 'Show an audit record', required('id'), async (a, cli) => {
  const x = await api.getAudit(cli.client(), a.id);
  cli.out.result(x, () => ['Audit Log Entry', '-'.repeat(80), `Id:         ${s(x.id)}`, `UserId:     ${s(x.actor_id)}`, `Action:     ${s(x.action)}`,
    `Target:     ${s(x.target)}`, `Secondary:  ${s(x.secondary)}`, `Timestamp:  ${s(x.timestamp)}`, `IP Address: ${s(x.ip_address)}`,
    `User Agent: ${s(x.user_agent)}`]);
});

const purge = command<{ days: number }>('purge', 'Delete audit records older than N days',
  (y) => y.option('days', intOption('days', { demandOption: true })) as never, async (a, cli) => {
    if (!(a.days > 0)) throw new UsageError('--days must be greater than 0.');
    await api.purgeAudit(cli.client(), a.days);
    cli.out.message(`Purged audit logs older than ${a.days} days.`);
  });

const verify = command('verify', 'Verify the hash chain of the audit log', (y) => y as never, async (_a, cli) => {
  const res = await api.verifyAudit(cli.client());
  if (res.ok !== true) process.exitCode = 1;
  cli.out.result(res, () => (res.ok === true ? `Audit chain OK (${s(res.checked)} records checked).` : `Audit chain BROKEN at record ${s(res.broken_at)}.`));
});

export const auditlogCommands = group('auditlog', 'The audit log', [list, get, purge, verify] as never[]);

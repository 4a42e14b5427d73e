// Runs one wrk scenario (Debian's wrk, a separate process) and parses its report.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A Lua request generator for wrk; `body` may be a Lua expression (for per-request bodies). */
export function luaScript({ method = 'GET', path, headers = {}, body = null, bodyLua = null, preamble = '' }) {
  const hdrs = Object.entries(headers).map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`).join('\n');
  const bodyExpr = bodyLua ?? (body === null ? 'nil' : JSON.stringify(body));
  return `${preamble}
wrk.method = ${JSON.stringify(method)}
${hdrs}
request = function()
  return wrk.format(${JSON.stringify(method)}, ${JSON.stringify(path)}, nil, ${bodyExpr})
end
`;
}

const unit = { us: 1e-3, ms: 1, s: 1000 };
const toMs = (v) => {
  const m = /^([\d.]+)(us|ms|s)$/.exec(v ?? '');
  return m ? Number(m[1]) * unit[m[2]] : NaN;
};

export function parseWrk(text) {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? NaN);
  const p50 = toMs(/\s50%\s+(\S+)/.exec(text)?.[1]);
  const p99 = toMs(/\s99%\s+(\S+)/.exec(text)?.[1]);
  const total = Number(/(\d+) requests in/.exec(text)?.[1] ?? 0);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(text)?.[1] ?? 0);
  const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const socketErrors = sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
  return { rps, p50, p99, total, errors: non2xx + socketErrors };
}

export async function runWrk({ url, script, seconds, connections, threads = 1, dir, name }) {
  const file = join(dir, `${name}.lua`);
  writeFileSync(file, script);
  const args = [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--latency', '-s', file, url];
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args);
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve({ ...parseWrk(out), raw: out }) : reject(new Error(`wrk exited ${code}: ${out}`))));
  });
}

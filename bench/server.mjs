// Starts the real server (dist build) as a child process and measures its memory.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../dist/src/main.js', import.meta.url));

/** `nodeArgs` go to node itself (e.g. `--cpu-prof`). */
export function startServer(args, env = {}, nodeArgs = []) {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [...nodeArgs, MAIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { out += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 60_000);
    child.on('exit', (code) => reject(new Error(`server exited ${code}:\n${out}`)));
    child.stdout.on('data', () => {
      const m = /microauthd ready: auth (\S+)\s+admin (\S+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        child,
        authUrl: m[1],
        adminUrl: m[2],
        startMs: Number(process.hrtime.bigint() - started) / 1e6,
        output: () => out,
        stop: () => new Promise((res) => { child.once('exit', () => res()); child.kill('SIGTERM'); }),
      });
    });
  });
}

/** Resident and peak resident memory of a process, in MB (Linux /proc). */
export function memory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** Resets the peak-RSS counter (VmHWM) so each scenario reports its own peak (needs Linux ≥ 4.0). */
export function resetPeak(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // not permitted: peaks then accumulate over the run, which the report says
  }
}

/**
 * Starts counting a process's CPU time; the returned function gives the µs per request since then,
 * of all threads (`cpuUs`) and of the main thread alone (`mainUs`: the one that runs all JavaScript
 * and SQLite, the budget req/s is bounded by), and the KB the main thread wrote per request
 * (`writtenKb`: the answer plus the WAL frames of its commits, each a page and a 24-byte header;
 * it moves far less with the machine's phase than time does).
 */
export function cpuMeter(pid) {
  const all = () => statCpuSeconds(`/proc/${pid}/stat`);
  const main = () => statCpuSeconds(`/proc/${pid}/task/${pid}/stat`);
  const written = () => writtenBytes(`/proc/${pid}/task/${pid}/io`);
  const all0 = all();
  const main0 = main();
  const written0 = written();
  return (requests) => ({
    cpuUs: ((all() - all0) * 1e6) / requests,
    mainUs: ((main() - main0) * 1e6) / requests,
    writtenKb: (written() - written0) / 1024 / requests,
  });
}

/** Bytes a thread has passed to write system calls (Linux /proc/.../io `wchar`); NaN where unreadable. */
function writtenBytes(file) {
  try {
    return Number(/wchar:\s+(\d+)/.exec(readFileSync(file, 'utf8'))?.[1] ?? NaN);
  } catch {
    return NaN;
  }
}

/** CPU seconds (user + system) in a /proc stat file (100 ticks/s). */
function statCpuSeconds(file) {
  const fields = readFileSync(file, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

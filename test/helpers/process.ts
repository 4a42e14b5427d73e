import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const MAIN_JS = fileURLToPath(new URL('../../dist/src/main.js', import.meta.url));

export interface ServerProcess {
  child: ChildProcessWithoutNullStreams;
  authUrl: string;
  adminUrl: string;
  stdout: () => string;
  stderr: () => string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs the built server (`node dist/src/main.js …`) and waits for its ready line. */
export function spawnServer(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, [MAIN_JS, ...args], {
    cwd, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // not left running when the caller never gets a handle to stop it
      reject(new Error(`server did not start:\n${out}\n${err}`));
    }, 30_000);
    const onData = () => {
      const m = /microauthd ready: auth (\S+)\s+admin (\S+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve({
        child, authUrl: m[1] as string, adminUrl: m[2] as string, stdout: () => out, stderr: () => err,
        stop: (signal = 'SIGTERM') => { child.kill(signal); return exited; },
      });
    };
    child.stdout.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}\n${err}`));
    });
  });
}

/** Runs the built server to completion (for commands that exit, like a bad configuration). */
export function runServerCommand(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [MAIN_JS, ...args], { cwd, env: { PATH: process.env.PATH ?? '', ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

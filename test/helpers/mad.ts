import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const MAD_JS = fileURLToPath(new URL('../../dist/mad-cli/bin.js', import.meta.url));

export interface MadResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON (for --json runs). */
  json: any;
}

/** Runs the built `mad` binary as a child process, with no TTY, in a given HOME. */
export function mad(args: string[], options: { home: string; env?: Record<string, string>; stdin?: string }): Promise<MadResult> {
  const child = spawn(process.execPath, [MAD_JS, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: options.home, ...options.env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  child.stdin.end(options.stdin ?? '');
  return new Promise((resolve) => child.once('exit', (code) => {
    let json: unknown;
    try { json = JSON.parse(stdout); } catch { json = undefined; }
    resolve({ code, stdout, stderr, json });
  }));
}

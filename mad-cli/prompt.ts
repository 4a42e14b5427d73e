import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';

/** Asks on the terminal; `secret` answers are not echoed. */
export async function ask(question: string, secret = false): Promise<string> {
  let muted = false;
  const sink = new Writable({
    write(chunk, _enc, done) {
      if (!muted) process.stderr.write(chunk as Buffer);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output: sink, terminal: true });
  try {
    process.stderr.write(question);
    muted = secret;
    return (await rl.question('')).trim();
  } finally {
    if (secret) process.stderr.write('\n');
    rl.close();
  }
}

/** All of stdin (for --password-stdin), without the trailing newline. */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

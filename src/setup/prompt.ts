import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';

/** Terminal questions for the first-run wizard; `secret` input is not echoed. */
export interface Prompter {
  ask(question: string, options?: { secret?: boolean; defaultValue?: string }): Promise<string>;
  close(): void;
}

export function terminalPrompter(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Prompter {
  let muted = false;
  const sink = new Writable({
    write(chunk, _enc, done) {
      if (!muted) output.write(chunk as Buffer);
      done();
    },
  });
  const rl = createInterface({ input, output: sink, terminal: true });
  return {
    async ask(question, options = {}) {
      const suffix = options.defaultValue ? ` [${options.defaultValue}]` : '';
      output.write(`${question}${suffix}: `);
      muted = options.secret === true;
      try {
        const answer = (await rl.question('')).trim();
        return answer || options.defaultValue || '';
      } finally {
        if (muted) output.write('\n');
        muted = false;
      }
    },
    close: () => rl.close(),
  };
}

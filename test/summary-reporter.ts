import type { File, Task } from 'vitest';
import type { Reporter } from 'vitest/reporters';

/** Prints one plain closing line, `N passed, N failed, N skipped`, that any CI log reader understands. */
export default class SummaryReporter implements Reporter {
  onFinished(files: File[] = []): void {
    const counts = { pass: 0, fail: 0, skip: 0 };
    const walk = (task: Task): void => {
      if (task.type === 'suite') {
        task.tasks.forEach(walk);
        if (task.result?.state === 'fail' && task.tasks.length === 0) counts.fail++;
        return;
      }
      const state = task.result?.state;
      if (state === 'pass') counts.pass++;
      else if (state === 'fail') counts.fail++;
      else counts.skip++;
    };
    for (const file of files) {
      file.tasks.forEach(walk);
      // A file that failed to load (syntax error, failing beforeAll) counts as a failure.
      if (file.result?.state === 'fail' && file.tasks.every((t) => t.result?.state !== 'fail')) counts.fail++;
    }
    process.stdout.write(`\n${counts.pass} passed, ${counts.fail} failed, ${counts.skip} skipped\n`);
  }
}

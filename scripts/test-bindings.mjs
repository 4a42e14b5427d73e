#!/usr/bin/env node
// Runs the Python and Go binding suites against a live server (each suite starts its own, from
// dist/). Part of `npm test`. With CI=true a missing python3 or go is a failure, never a skip.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const suites = [
  { name: 'python', tool: 'python3', args: ['-m', 'unittest', 'discover', '-s', 'bindings/python/tests', '-t', 'bindings/python', '-v'], cwd: root },
  { name: 'go', tool: 'go', args: ['test', '-count=1', './...'], cwd: `${root}/bindings/go` },
];

let failed = 0;
let passed = 0;
for (const s of suites) {
  if (spawnSync(s.tool, [s.tool === 'go' ? 'version' : '--version']).error) {
    const msg = `bindings: ${s.tool} is not installed (Debian: ${s.tool === 'go' ? 'golang-go' : 'python3'})`;
    if (process.env.CI === 'true') {
      process.stderr.write(`${msg}: failing, since CI=true\n`);
      failed++;
      continue;
    }
    process.stderr.write(`${msg}: the ${s.name} binding suite did NOT run\n`);
    continue;
  }
  process.stdout.write(`\n== ${s.name} binding suite\n`);
  const r = spawnSync(s.tool, s.args, { cwd: s.cwd, stdio: 'inherit', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  if (r.status === 0) passed++;
  else failed++;
}
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed ? 1 : 0);

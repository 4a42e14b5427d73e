// Writes the Markdown for docs/configuration.md to stdout (`npm run docs:config`).
// Explicit stdout write: this is a CLI, and the repo's lint rule reserves console.* for nobody.
import { renderConfigDocs } from './docs.js';

process.stdout.write(renderConfigDocs() + '\n');

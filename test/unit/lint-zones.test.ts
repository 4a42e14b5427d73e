import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

// The plane seams are enforced by ESLint zones (eslint.config.js); this proves the zones bite.
const eslint = new ESLint({ cwd: process.cwd() });

async function importErrors(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import zones', () => {
  it('forbid the auth plane from importing the admin plane, and vice versa', async () => {
    expect(await importErrors('src/planes/auth/x.ts', "import { createAdminApp } from '../admin/app.js';\nexport default createAdminApp;\n")).toHaveLength(1);
    expect(await importErrors('src/planes/admin/routes/x.ts', "import { createAuthApp } from '../../auth/app.js';\nexport default createAuthApp;\n")).toHaveLength(1);
  });

  it('forbid planes from reaching the store or key material', async () => {
    expect(await importErrors('src/planes/auth/routes/x.ts', "import { createStore } from '../../../store/index.js';\nexport default createStore;\n")).toHaveLength(1);
    expect(await importErrors('src/planes/admin/x.ts', "import { loadSigningKeyFile } from '../../crypto/keys/load.js';\nexport default loadSigningKeyFile;\n")).toHaveLength(1);
    expect(await importErrors('src/planes/admin/x.ts', "import type { Plane } from '../../store/types.js';\nexport type P = Plane;\n")).toHaveLength(0);
  });

  it('forbid the CLI and the dashboard from importing the server', async () => {
    expect(await importErrors('mad-cli/x.ts', "import { start } from '../src/main.js';\nexport default start;\n")).toHaveLength(1);
    expect(await importErrors('dashboard/x.ts', "import { start } from '../src/main.js';\nexport default start;\n")).toHaveLength(1);
  });

  it('let the server and the dashboard share common/, which imports nothing from the repository', async () => {
    expect(await importErrors('dashboard/routes/x.ts', "import { html } from '../../common/html.js';\nexport default html;\n")).toHaveLength(0);
    expect(await importErrors('src/planes/auth/views/x.ts', "import { html } from '../../../../common/html.js';\nexport default html;\n")).toHaveLength(0);
    expect(await importErrors('common/x.ts', "import { start } from '../src/main.js';\nexport default start;\n")).toHaveLength(1);
    expect(await importErrors('common/x.ts', "import { layout } from '../dashboard/views/layout.js';\nexport default layout;\n")).toHaveLength(1);
    expect(await importErrors('common/x.ts', "import { html } from './html.js';\nexport default html;\n")).toHaveLength(0);
  });
});

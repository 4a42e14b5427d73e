import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPTIONS, renderConfigDocs, type OptionDef } from '../../../src/config/index.js';

const DOCS = new URL('../../../docs/configuration.md', import.meta.url);

describe('docs/configuration.md', () => {
  it('is exactly the generated text (regenerate: npm run build && npm run docs:config)', () => {
    // print-docs.ts uses console.log, which adds the final newline.
    expect(readFileSync(DOCS, 'utf8')).toBe(renderConfigDocs() + '\n');
  });

  it('documents every option with its flag, env var and default', () => {
    const text = renderConfigDocs();
    for (const def of OPTIONS as readonly OptionDef[]) {
      const env = 'MAD_' + def.key.toUpperCase().replace(/-/g, '_');
      expect(text).toMatch(new RegExp('\\| `--' + def.key + '`.*\\| `' + env + '` \\| `' + def.key + '` \\|'));
    }
  });

  it('lists each changed default with its reason', () => {
    const text = renderConfigDocs();
    for (const def of (OPTIONS as readonly OptionDef[]).filter((d) => d.changed !== undefined)) {
      expect(text).toContain(`- \`${def.key}\`: `);
      expect(text).toContain(def.changed?.why ?? '');
    }
  });
});

describe('the schema', () => {
  it('has unique keys, in-range int defaults and enum defaults among their values', () => {
    const defs = OPTIONS as readonly OptionDef[];
    expect(new Set(defs.map((d) => d.key)).size).toBe(defs.length);
    for (const d of defs) {
      if (d.type === 'int') expect(d.default >= d.min && d.default <= d.max, d.key).toBe(true);
      if (d.type === 'enum') expect(d.enumValues, d.key).toContain(d.default);
    }
  });
});

import { readFileSync } from 'node:fs';
import yargs, { type Argv, type CommandModule } from 'yargs';
import { describe, expect, it } from 'vitest';
import { COMMANDS, GLOBAL_OPTIONS } from '../../../mad-cli/commands/index.js';
import { BOOLEAN_OPTIONS } from '../../../mad-cli/options.js';

/**
 * docs/cli.md "Option reference" against mad's own command definitions: every command has a section, and each
 * section lists exactly the options yargs knows for it, with the same required-ness, default and kind of value.
 * The definitions are read by running each command's builder on a fresh yargs instance.
 */

const DOCS = readFileSync(new URL('../../../docs/cli.md', import.meta.url), 'utf8');
const GLOBAL = 'Global options';

/** What yargs records for one option (the fields used here). */
interface Option {
  required: boolean;
  default: unknown;
  boolean: boolean;
  array: boolean;
  choices: readonly unknown[] | undefined;
  aliases: string[];
}

/** The parser state yargs keeps (getOptions and getDemandedOptions are public in yargs but missing from @types/yargs). */
interface ParserOptions {
  key: Record<string, boolean>;
  alias: Record<string, string[]>;
  boolean: string[];
  array: string[];
  choices: Record<string, readonly unknown[]>;
  default: Record<string, unknown>;
}

/** The options a yargs instance was given, without yargs' own --help/--version, keyed by name (aliases folded in). */
function optionsOf(y: Argv): Map<string, Option> {
  const parser = y as unknown as { getOptions(): ParserOptions; getDemandedOptions(): Record<string, unknown> };
  const o = parser.getOptions();
  const demanded = parser.getDemandedOptions();
  const aliases = new Set(Object.values(o.alias).flat());
  const out = new Map<string, Option>();
  for (const name of Object.keys(o.key)) {
    if (name === 'help' || name === 'version' || aliases.has(name)) continue;
    out.set(name, {
      required: name in demanded,
      default: o.default[name],
      boolean: o.boolean.includes(name),
      array: o.array.includes(name),
      choices: o.choices[name],
      aliases: o.alias[name] ?? [],
    });
  }
  return out;
}

type Module = CommandModule<never, never> & { subcommands?: readonly CommandModule<never, never>[] };

/** Every leaf command (`mad user create`, `mad ping`, …) with its own options. */
function definedCommands(modules: readonly Module[], prefix = 'mad'): Map<string, Map<string, Option>> {
  const out = new Map<string, Map<string, Option>>();
  for (const m of modules) {
    const name = `${prefix} ${String(m.command).split(' ')[0]}`;
    if (m.subcommands) {
      for (const [k, v] of definedCommands(m.subcommands, name)) out.set(k, v);
      continue;
    }
    const y = yargs([]);
    if (typeof m.builder === 'function') (m.builder as unknown as (y: Argv) => unknown)(y);
    out.set(name, optionsOf(y));
  }
  return out;
}

/** One documented option: a table row `| \`--name <value>\` | yes/no | — or \`default\` | meaning |`. */
interface DocRow {
  name: string;
  value: string;
  aliases: string[];
  required: string;
  default: string;
}

/** The option tables of the "Option reference" part, by section (`mad user create`, or "Global options"). */
function documentedCommands(): Map<string, DocRow[]> {
  const start = DOCS.indexOf('\n## Option reference');
  expect(start, 'docs/cli.md has an "## Option reference" section').toBeGreaterThan(0);
  const out = new Map<string, DocRow[]>();
  let section: DocRow[] | undefined;
  for (const line of DOCS.slice(start).split('\n').slice(2)) {
    if (line.startsWith('## ')) break;
    const heading = /^### (?:`(.+)`|(.+))$/.exec(line);
    if (heading) {
      const name = heading[1] ?? heading[2] ?? '';
      expect(out.has(name), `documented twice: ${name}`).toBe(false);
      out.set(name, section = []);
      continue;
    }
    if (!section || !line.startsWith('| `')) continue;
    // cells are separated by | that are not escaped (`\|` inside code)
    const [option = '', required = '', def = ''] = line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim().replaceAll('\\|', '|'));
    const codes = [...option.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
    const long = codes.find((c) => c.startsWith('--')) ?? '';
    const [flag = '', ...value] = long.split(' ');
    section.push({ name: flag.slice(2), value: value.join(' '), aliases: codes.filter((c) => /^-[^-]/.test(c)).map((c) => c.slice(1)),
      required, default: def });
  }
  return out;
}

/** Why a documented row does not match the definition (empty: it matches). */
function mismatches(where: string, row: DocRow, def: Option): string[] {
  const out: string[] = [];
  const say = (what: string) => out.push(`${where} --${row.name}: ${what}`);
  if (row.required !== (def.required ? 'yes' : 'no')) say(`required is ${def.required ? 'yes' : 'no'}, documented '${row.required}'`);
  const wantDefault = def.default === undefined ? '—' : `\`${String(def.default)}\``;
  if (row.default !== wantDefault) say(`default is ${wantDefault}, documented '${row.default}'`);
  const wantValue = def.boolean ? '[true|false]' : def.choices ? def.choices.join('|') : undefined;
  if (wantValue !== undefined && row.value !== wantValue) say(`value should be written '${wantValue}', not '${row.value}'`);
  if (wantValue === undefined && !/^<[^<>]+>(…)?$/.test(row.value)) say(`value should be written <name>, not '${row.value}'`);
  if (wantValue === undefined && row.value.endsWith('…') !== def.array) say(def.array ? 'takes several values: write <name>…' : 'takes one value: no …');
  if ([...row.aliases].sort().join() !== [...def.aliases].sort().join()) say(`aliases are [${def.aliases.join(', ')}], documented [${row.aliases.join(', ')}]`);
  return out;
}

/** Compares one section with one definition: missing, unknown and mismatching options. */
function compare(where: string, rows: DocRow[], defined: Map<string, Option>): string[] {
  const problems: string[] = [];
  const documented = new Set(rows.map((r) => r.name));
  for (const name of defined.keys()) if (!documented.has(name)) problems.push(`${where}: --${name} is not documented`);
  for (const row of rows) {
    const def = defined.get(row.name);
    if (!def) problems.push(`${where}: documents --${row.name}, which the command does not accept`);
    else problems.push(...mismatches(where, row, def));
  }
  if (documented.size !== rows.length) problems.push(`${where}: an option is documented twice`);
  return problems;
}

const defined = definedCommands(COMMANDS as readonly Module[]);
const globals = optionsOf(yargs([]).options(GLOBAL_OPTIONS));

describe('docs/cli.md option reference', () => {
  it('finds the commands and their options in the definitions (the check below is not vacuous)', () => {
    expect(defined.size).toBeGreaterThan(50);
    const all = [globals, ...defined.values()].flatMap((options) => [...options.values()]);
    for (const seen of ['required', 'default', 'boolean', 'array', 'choices', 'aliases'] as const) {
      expect(all.some((o) => (Array.isArray(o[seen]) ? o[seen].length > 0 : o[seen] !== undefined && o[seen] !== false)), seen).toBe(true);
    }
  });

  it('has a section for every command and none for a command that does not exist', () => {
    const documented = [...documentedCommands().keys()].filter((k) => k !== GLOBAL);
    expect(documented.filter((c) => !defined.has(c)), 'documented, but no such command').toEqual([]);
    expect([...defined.keys()].filter((c) => !documented.includes(c)), 'commands without a section').toEqual([]);
  });

  it('lists exactly the options of each command, with their required-ness, default and kind of value', () => {
    const docs = documentedCommands();
    const problems = [...defined].flatMap(([name, options]) => compare(name, docs.get(name) ?? [], options));
    expect(problems).toEqual([]);
  });

  it('lists exactly the global options', () => {
    expect(compare(GLOBAL, documentedCommands().get(GLOBAL) ?? [], globals)).toEqual([]);
    expect(documentedCommands().get(GLOBAL)?.length).toBe(globals.size);
  });
});

describe('boolean options', () => {
  it('are all in BOOLEAN_OPTIONS, which is what lets them take True/False in any case', () => {
    const booleans = new Set<string>();
    for (const options of [globals, ...defined.values()]) {
      for (const [name, o] of options) if (o.boolean) [name, ...o.aliases].forEach((n) => booleans.add(n));
    }
    expect([...booleans].sort()).toEqual([...BOOLEAN_OPTIONS].sort());
  });
});

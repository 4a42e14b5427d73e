/**
 * The config-file format of the original (reference/config.md §1, SimpleIniParser):
 * one `key = value` per line, no sections; blank lines and lines starting with
 * `#` or `;` are skipped; keys are case-insensitive; a value wrapped in double
 * quotes is taken verbatim (comment characters included), otherwise anything
 * after the first `#` or `;` is dropped and the value trimmed.
 *
 * This module only splits lines; load.ts decides what the keys mean.
 */

export interface FileEntry {
  readonly key: string; // lower-cased
  readonly value: string;
  readonly line: number; // 1-based
}

export interface FileProblem {
  readonly line: number;
  readonly message: string;
  readonly fatal: boolean;
}

export function parseConfigFile(text: string): { entries: FileEntry[]; problems: FileProblem[] } {
  const entries: FileEntry[] = [];
  const problems: FileProblem[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);

  lines.forEach((rawLine, i) => {
    const line = i + 1;
    const trimmed = rawLine.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;

    const eq = trimmed.indexOf('=');
    if (eq <= 0) {
      // The original ignored such lines; we say so instead of guessing.
      problems.push({ line, message: 'not a "key = value" line (ignored)', fatal: false });
      return;
    }
    const key = trimmed.slice(0, eq).trim().toLowerCase();
    const value = parseFileValue(trimmed.slice(eq + 1).trim());
    if (value === undefined) {
      // A half-quoted password must not be used with a stray quote in it.
      problems.push({ line, message: `${key}: unterminated or malformed double-quoted value`, fatal: true });
      return;
    }
    entries.push({ key, value, line });
  });
  return { entries, problems };
}

function parseFileValue(v: string): string | undefined {
  if (v.startsWith('"')) {
    const close = v.lastIndexOf('"');
    if (close === 0) return undefined;
    const rest = v.slice(close + 1).trim();
    if (rest !== '' && !rest.startsWith('#') && !rest.startsWith(';')) return undefined;
    return v.slice(1, close);
  }
  const cut = v.search(/[#;]/);
  return (cut === -1 ? v : v.slice(0, cut)).trim();
}

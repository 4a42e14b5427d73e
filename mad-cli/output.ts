/**
 * Everything `mad` prints goes through here: with --json exactly one compact JSON document on
 * stdout; otherwise human text, or tables (--format table|csv). Diagnostics go to stderr.
 */
export type Format = 'table' | 'json' | 'csv';

export interface OutputOptions {
  json: boolean;
  format: Format | undefined;
  quiet: boolean;
}

export interface Column<T> {
  header: string;
  value: (row: T) => unknown;
}

const cell = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v));

export class Output {
  constructor(readonly options: OutputOptions) {}

  get asJson(): boolean {
    return this.options.json || this.options.format === 'json';
  }

  line(text: string): void {
    process.stdout.write(`${text}\n`);
  }

  warn(text: string): void {
    process.stderr.write(`${text}\n`);
  }

  json(value: unknown): void {
    process.stdout.write(`${JSON.stringify(value)}\n`);
  }

  /** A single result: JSON document, the id alone (-q), or the text lines. */
  result(value: unknown, text: () => string | string[], id?: string): void {
    if (this.asJson) return this.json(value);
    if (this.options.quiet && id !== undefined) return this.line(id);
    const lines = text();
    this.line(Array.isArray(lines) ? lines.join('\n') : lines);
  }

  /** A list: JSON array, CSV, or an aligned table; `empty` when there are no rows. */
  list<T>(rows: readonly T[], columns: readonly Column<T>[], empty: string): void {
    if (this.asJson) return this.json(rows);
    if (this.options.quiet) {
      for (const r of rows) this.line(cell(columns[0]?.value(r)));
      return;
    }
    if (this.options.format === 'csv') {
      const esc = (s: string) => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
      this.line(columns.map((c) => esc(c.header)).join(','));
      for (const r of rows) this.line(columns.map((c) => esc(cell(c.value(r)))).join(','));
      return;
    }
    if (rows.length === 0) return this.line(empty);
    const table = rows.map((r) => columns.map((c) => cell(c.value(r))));
    const widths = columns.map((c, i) => Math.max(c.header.length, ...table.map((row) => (row[i] ?? '').length)));
    const fmt = (cells: string[]) => cells.map((s, i) => s.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
    this.line(fmt(columns.map((c) => c.header)));
    this.line(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const row of table) this.line(fmt(row));
  }

  /** `{"success":true,"message":…}` in JSON mode, the message otherwise. */
  message(message: string): void {
    this.result({ success: true, message }, () => message);
  }
}

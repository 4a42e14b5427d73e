/**
 * Sessions, refresh tokens and audit records are inserted as they are issued, so a table's rowid
 * order is its time order (to within the few milliseconds a group commit waits). The scheduled
 * purges use that instead of an index on the time column, which every token issue would have to
 * write to (docs/architecture.md, "The store").
 */

/**
 * A condition on `table`'s rows: inserted before the first row whose `timeColumn` is at or after
 * `@cutoff` (all rows when there is none). Finding that row scans from the oldest row and stops
 * there, so a purge reads the rows it may delete and one more. Every row it admits has its time
 * before the cutoff; a row inserted out of order (a clock stepped back) is left for a later run,
 * never deleted early.
 */
export function insertedBeforeSql(table: string, timeColumn: string): string {
  return `rowid < coalesce((SELECT rowid FROM ${table} WHERE ${timeColumn} >= @cutoff ORDER BY rowid LIMIT 1), 9223372036854775807)`;
}

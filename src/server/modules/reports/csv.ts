import type { ReportValue } from "../../../protocol/reports";

/**
 * A cell as RFC 4180 wants it: quoted when it holds a comma, a quote, a line break or edge spaces, quotes doubled.
 * Text that a spreadsheet would run as a formula (=, +, -, @, tab, carriage return first) gets a leading
 * apostrophe: names come from people, and a CSV is opened by someone else.
 */
export function csvCell(value: ReportValue): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A header row of the columns, then one line per row, CRLF-separated as RFC 4180 has it. */
export function toCsv(columns: string[], rows: Array<Record<string, ReportValue>>): string {
  const lines = [columns.map(csvCell), ...rows.map((row) => columns.map((c) => csvCell(row[c] ?? null)))];
  return `${lines.map((cells) => cells.join(",")).join("\r\n")}\r\n`;
}

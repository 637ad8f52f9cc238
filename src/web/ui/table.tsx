import type { Key, ReactNode } from "react";

export interface Column<T> {
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** Keeps narrow columns (numbers, actions) from wrapping. */
  nowrap?: boolean;
}

export interface TableProps<T> {
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => Key;
  empty?: ReactNode;
  loading?: boolean;
  testId?: string;
  rowTestId?: (row: T) => string;
  caption?: string;
}

export function Table<T>({
  columns,
  rows,
  rowKey,
  empty,
  loading,
  testId,
  rowTestId,
  caption,
}: TableProps<T>) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid={testId}>
        {caption && <caption className="visually-hidden">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((c, i) => (
              // Columns never reorder within a table, so the index is a stable key.
              <th key={i} scope="col">
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} data-testid={rowTestId?.(row)}>
              {columns.map((c, i) => (
                <td key={i} style={c.nowrap ? { whiteSpace: "nowrap" } : undefined}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td className="table-empty" colSpan={columns.length}>
                {loading ? "Loading…" : (empty ?? "Nothing here yet.")}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

import type { ReactNode } from 'react';
import { type MessageKey, useI18n } from '../i18n';

export interface Column<T> {
  /** The column's heading. */
  header: MessageKey;
  cell: (row: T) => ReactNode;
  /** Numbers align right. */
  numeric?: boolean;
  /** This column names the row (a `th scope="row"` for screen readers). */
  rowHeader?: boolean;
}

/**
 * The console's one table: headed columns, a row per item, an optional caption. Screens describe columns, not
 * markup, so every table reads the same to a keyboard or screen-reader user.
 */
export function DataTable<T>({
  rows,
  columns,
  rowKey,
  caption,
  className,
}: {
  rows: readonly T[];
  columns: readonly Column<T>[];
  rowKey: (row: T) => string;
  caption?: ReactNode;
  className?: string;
}) {
  const { t } = useI18n();
  return (
    <table className={className}>
      {caption !== undefined && <caption className="status-line">{caption}</caption>}
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.header} scope="col" className={c.numeric ? 'num' : undefined}>
              {t(c.header)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)}>
            {columns.map((c) =>
              c.rowHeader ? (
                <th key={c.header} scope="row">
                  {c.cell(row)}
                </th>
              ) : (
                <td key={c.header} className={c.numeric ? 'num' : undefined}>
                  {c.cell(row)}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The name an operator is shown by in a row that records who did something: the display name, else the e-mail.
 * Operators are never deleted (only disabled), so a join on the id always names them.
 */
export function operatorName(alias: string): string {
  return `COALESCE(NULLIF(btrim(${alias}.display_name), ''), ${alias}.email)`;
}

/** `LEFT JOIN operator <alias> ON <alias>.id::text = <column>` for a column that holds an operator id as text. */
export function joinOperatorByText(alias: string, column: string): string {
  return `LEFT JOIN operator ${alias} ON ${alias}.id::text = ${column}`;
}

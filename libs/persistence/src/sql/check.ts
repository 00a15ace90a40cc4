/** `('a', 'b')`: string literals as an SQL list, for CHECK constraints built from the domain's enums. */
export function sqlList(values: Record<string, string> | readonly string[]): string {
  const list = Array.isArray(values) ? values : Object.values(values);
  return `(${list.map((v: string) => `'${v.replace(/'/g, "''")}'`).join(', ')})`;
}

/** `"column" IN ('a','b')` for a CHECK constraint, built from the domain enum so code and schema agree. */
export function oneOf(column: string, values: Record<string, string> | readonly string[]): string {
  return `"${column}" IN ${sqlList(values)}`;
}

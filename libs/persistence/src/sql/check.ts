/** `"column" IN ('a','b')` for a CHECK constraint, built from the domain enum so code and schema agree. */
export function oneOf(column: string, values: Record<string, string> | readonly string[]): string {
  const list = Array.isArray(values) ? values : Object.values(values);
  return `"${column}" IN (${list.map((v: string) => `'${v.replace(/'/g, "''")}'`).join(', ')})`;
}

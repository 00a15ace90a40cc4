/**
 * The lowest time-ordered (UUIDv7) id made at `at`: its 48 bits of Unix milliseconds and zeros. Ids of alerts made
 * at or after `at` sort at or above it, as `uuid_v7_floor()` in SQL.
 */
export function uuidV7Floor(at: Date): string {
  const hex = Math.floor(at.getTime()).toString(16).padStart(12, '0') + '0'.repeat(20);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The time a time-ordered id's first 48 bits name (the inverse of `uuidV7Floor`). */
export const timeOfUuid = (id: string): Date => new Date(parseInt(id.replace(/-/g, '').slice(0, 12), 16));

/*
 * Small checks of parsed JSON for the device routes served before express (`DeviceFastPath`): each route's
 * `isPlain…` guard accepts only bodies its DTO would accept unchanged, and leaves everything else to the Nest route.
 */

/** A JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** No key but these (the validation pipe's `forbidNonWhitelisted`). */
export function onlyKeys(value: Record<string, unknown>, allowed: readonly string[]): boolean {
  for (const key in value) if (!allowed.includes(key)) return false;
  return true;
}

/** A finite number within [min, max]. */
export function numberWithin(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
}

import { existsSync } from 'node:fs';
import * as path from 'node:path';

/**
 * `shared/fixtures`, which sits beside the checkout (`<dir>/main` and `<dir>/shared`, locally and in CI).
 * Used by the specs only.
 */
export function sharedFixturesDir(): string {
  const candidates = [
    path.resolve(__dirname, '../../../../../shared/fixtures'),
    path.resolve(process.cwd(), '../shared/fixtures'),
  ];
  const found = candidates.find((dir) => existsSync(path.join(dir, 'EXPECTED.json')));
  if (!found) throw new Error(`shared/fixtures not found (looked in ${candidates.join(', ')})`);
  return found;
}

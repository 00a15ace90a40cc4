import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** What requiring a module graph loads: npm packages, and the repository's own files (from its root). */
export interface LoadedModules {
  packages: string[];
  sources: string[];
}

/**
 * What requiring `modules` (paths from the repository root, e.g. `apps/api/src/app.module.ts`) loads, read from
 * Node's module cache in a fresh process (loaded-packages.probe.ts). Nothing is booted: what a module graph loads
 * is decided when it is required.
 */
export async function loadedModules(modules: string[]): Promise<LoadedModules> {
  const root = join(__dirname, '..', '..', '..', '..');
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--disable-warning=MODULE_TYPELESS_PACKAGE_JSON',
      join(__dirname, 'from-source.main.ts'),
      join(__dirname, 'loaded-packages.probe.ts'),
      ...modules,
    ],
    // nothing inherited: requiring a module must not need any setting
    { cwd: root, env: {}, maxBuffer: 4 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as LoadedModules;
}

/** The npm packages that requiring `modules` loads (see {@link loadedModules}). */
export async function loadedPackages(modules: string[]): Promise<string[]> {
  return (await loadedModules(modules)).packages;
}

// Prints, as JSON, what requiring the given modules loads: the npm packages, and the repository's own source files
// (paths from the repository root):
//
//   node libs/testing/src/processes/from-source.main.ts libs/testing/src/processes/loaded-packages.probe.ts \
//     apps/api/src/app.module.ts
//
// Run through from-source.main.ts (which compiles the TypeScript on load), in a process of its own, so the answer
// is Node's module cache and not a test runner's registry.
import { createRequire } from 'node:module';
import { relative, resolve } from 'node:path';

const packageOf = (file: string): string | undefined => {
  const m = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file);
  return m?.[1].replace(/\\/g, '/');
};

const load = createRequire(__filename);
for (const module of process.argv.slice(3)) load(resolve(module));
const files = Object.keys(load.cache);
const packages = new Set(files.flatMap((file) => packageOf(file) ?? []));
const sources = files
  .filter((file) => packageOf(file) === undefined)
  .map((file) => relative(process.cwd(), file).replace(/\\/g, '/'))
  .filter((file) => !file.startsWith('..'));
process.stdout.write(JSON.stringify({ packages: [...packages].sort(), sources: sources.sort() }));

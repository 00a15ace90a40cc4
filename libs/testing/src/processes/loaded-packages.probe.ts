// Prints, as JSON, the npm packages that requiring the given modules loads:
//
//   node libs/testing/src/processes/from-source.main.ts libs/testing/src/processes/loaded-packages.probe.ts \
//     apps/api/src/app.module.ts
//
// Run through from-source.main.ts (which compiles the TypeScript on load), in a process of its own, so the answer
// is Node's module cache and not a test runner's registry.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const packageOf = (file: string): string | undefined => {
  const m = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file);
  return m?.[1].replace(/\\/g, '/');
};

const load = createRequire(__filename);
for (const module of process.argv.slice(3)) load(resolve(module));
const loaded = new Set(Object.keys(load.cache).flatMap((file) => packageOf(file) ?? []));
process.stdout.write(JSON.stringify([...loaded].sort()));

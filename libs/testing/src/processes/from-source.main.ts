// Runs one of this repository's Nest apps straight from its TypeScript source, in a process of its own:
//
//   node libs/testing/src/processes/from-source.main.ts apps/fanout/src/main.ts
//
// Nest needs decorator metadata, which Node's type stripping does not emit, so every `.ts` file the app requires
// is compiled on load by `ts.transpileModule` with the repository's tsconfig: the same per-file transpilation
// ts-jest does for the tests (tsconfig.spec.json sets isolatedModules), with no build step and no dist/ to go
// stale. `@bousai/*` resolves through the tsconfig's paths. Node itself runs this file by type stripping, so
// only erasable TypeScript here, and only node: imports besides type-only ones.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import type * as Ts from 'typescript';
import type * as TsconfigPaths from 'tsconfig-paths';

interface CompilingModule {
  _compile(code: string, filename: string): void;
}

const entry = resolve(process.argv[2] ?? '');
const load = createRequire(entry);
const ts = load('typescript') as typeof Ts;
const tsconfigPaths = load('tsconfig-paths') as typeof TsconfigPaths;

const configFile = ts.findConfigFile(dirname(entry), (f) => ts.sys.fileExists(f));
if (!configFile) throw new Error(`no tsconfig.json above ${entry}`);
const root = dirname(configFile);
const json = ts.readConfigFile(configFile, (f) => ts.sys.readFile(f));
if (json.error) throw new Error(ts.flattenDiagnosticMessageText(json.error.messageText, '\n'));
const raw = (json.config as { compilerOptions: Record<string, unknown> }).compilerOptions;
const { options } = ts.convertCompilerOptionsFromJson(raw, root);
const compilerOptions: Ts.CompilerOptions = {
  ...options,
  module: ts.ModuleKind.CommonJS,
  isolatedModules: true,
  sourceMap: false,
  inlineSourceMap: true,
  inlineSources: false,
  declaration: false,
};

// stack traces point into the .ts sources
process.setSourceMapsEnabled(true);
load.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), {
    compilerOptions,
    fileName: filename,
  });
  (module as unknown as CompilingModule)._compile(outputText, filename);
};
// registered after `.ts`, so extensionless `@bousai/<lib>` imports find the libraries' index.ts
tsconfigPaths.register({ baseUrl: root, paths: raw.paths as Record<string, string[]> });
load(entry);

// Imported first by every compiled bench entry point: `@bousai/*` then resolve to the libraries compiled beside it
// (dist/bench/libs/…), which is what `npm run bench:*` builds.
import { join } from 'node:path';
import { register } from 'tsconfig-paths';
import { compilerOptions } from '../../tsconfig.json';

register({ baseUrl: join(__dirname, '..', '..'), paths: compilerOptions.paths });

import { register } from 'tsconfig-paths';
import { compilerOptions } from '../tsconfig.json';

// jest applies moduleNameMapper inside test files only; the global setup resolves @bousai/* itself
register({ baseUrl: `${__dirname}/..`, paths: compilerOptions.paths });

export default async function globalSetup(): Promise<void> {
  const { prepareTemplateDatabase } = await import('@bousai/testing');
  await prepareTemplateDatabase();
}

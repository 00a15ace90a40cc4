import { register } from 'tsconfig-paths';
import { compilerOptions } from '../tsconfig.json';

register({ baseUrl: `${__dirname}/..`, paths: compilerOptions.paths });

export default async function globalTeardown(): Promise<void> {
  const { dropTemplateDatabase } = await import('@bousai/testing');
  await dropTemplateDatabase();
}

import type { MigrationInterface } from 'typeorm';
import { InitialSchema1795540564914 } from './1795540564914-initial-schema';

/** Every migration, oldest first. `npm run db:migration:generate -- NAME` writes a new file; add it here. */
export const MIGRATIONS: (new () => MigrationInterface)[] = [InitialSchema1795540564914];

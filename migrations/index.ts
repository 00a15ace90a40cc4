import type { MigrationInterface } from 'typeorm';
import { InitialSchema1795540564914 } from './1795540564914-initial-schema';
import { ForeignKeyIndexes1795541480016 } from './1795541480016-foreign-key-indexes';
import { ResidentChannelOrder1795550301967 } from './1795550301967-resident-channel-order';
import { Publications1795550764069 } from './1795550764069-publications';
import { DeliveryCounters1795551772423 } from './1795551772423-delivery-counters';

/** Every migration, oldest first. `npm run db:migration:generate -- NAME` writes a new file; add it here. */
export const MIGRATIONS: (new () => MigrationInterface)[] = [
  InitialSchema1795540564914,
  ForeignKeyIndexes1795541480016,
  ResidentChannelOrder1795550301967,
  Publications1795550764069,
  DeliveryCounters1795551772423,
];

import { Module } from '@nestjs/common';
import { AudienceRepository } from './audience.repository';

const REPOSITORIES = [AudienceRepository];

/** Who an alert reaches, for the api's checks and previews. */
@Module({ providers: REPOSITORIES, exports: REPOSITORIES })
export class AudiencePersistenceModule {}

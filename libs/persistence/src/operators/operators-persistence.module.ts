import { Module } from '@nestjs/common';
import { OperatorRepository } from './operator.repository';

const REPOSITORIES = [OperatorRepository];

/** Operator accounts and sessions. */
@Module({ providers: REPOSITORIES, exports: REPOSITORIES })
export class OperatorsPersistenceModule {}

import { Module } from '@nestjs/common';
import { VisitorSubscriptionRepository } from './visitor-subscription.repository';

const REPOSITORIES = [VisitorSubscriptionRepository];

/** Visitor subscriptions: public alerts of chosen districts, apart from the roster. */
@Module({ providers: REPOSITORIES, exports: REPOSITORIES })
export class VisitorsPersistenceModule {}

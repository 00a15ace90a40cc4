export * from './shelter.entity';
export * from './shelter-checkin.entity';
export * from './shelter.repository';
export * from './shelters-persistence.module';

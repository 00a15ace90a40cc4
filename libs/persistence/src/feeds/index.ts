export * from './feed-document.repository';
export * from './feeds-persistence.module';

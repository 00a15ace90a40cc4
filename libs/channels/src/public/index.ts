export * from './public-publisher';
export * from './line-broadcast.publisher';
export * from './x.publisher';
export * from './public-publishers.module';

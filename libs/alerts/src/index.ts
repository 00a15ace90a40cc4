export * from './alert-lifecycle';
export * from './alert-lifecycle.module';

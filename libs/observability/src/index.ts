export * from './public.decorator';
export * from './personal-data.scrubber';
export * from './logger.options';
export * from './metrics.service';
export * from './readiness.registry';
export * from './observability.tokens';
export * from './observability.module';

import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type BaseConfig } from '@bousai/config';
import { QueueProducer } from './queue-producer';

/** The app's one producer, on its own fail-fast connection; it connects in the background at init. */
@Global()
@Module({
  providers: [
    {
      provide: QueueProducer,
      inject: [APP_CONFIG],
      useFactory: (config: BaseConfig) =>
        new QueueProducer({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX }),
    },
  ],
  exports: [QueueProducer],
})
export class QueueProducerModule {}

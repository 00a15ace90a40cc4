import { SetMetadata } from '@nestjs/common';

/** Metadata key read by the api's auth guard and its boot-time route check. */
export const IS_PUBLIC_KEY = 'bousai:public';

/** Marks a route as deliberately reachable without authentication (health probes, metrics, login). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);

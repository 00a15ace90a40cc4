import { setTimeout as delay } from 'node:timers/promises';

/** Time as the sender sees it; tests inject a manual clock instead of waiting on the wall. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => delay(ms).then(() => undefined),
};

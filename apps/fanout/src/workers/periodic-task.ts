import type { Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

/**
 * Runs `tick` again `intervalMs` after the previous run finished (never two at once), or at once when a run
 * reports there is more to do or something `wake`s it, or after the delay a run asks for. `stop()` waits for the run in flight, so shutdown never
 * cuts a transaction.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  /** Woken while a run was in flight: run again as soon as it ends. */
  private woken = false;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    /** Resolves to true to run again immediately, to a number to run again after that many ms (not the interval). */
    private readonly tick: () => Promise<boolean | number>,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Runs now, or right after the run in flight, instead of waiting for the interval. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.woken = true;
      return;
    }
    clearTimeout(this.timer);
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.run();
    }, ms);
  }

  private async run(): Promise<void> {
    let again: boolean | number = false;
    try {
      again = await this.tick();
    } catch (err) {
      this.logger.error({ err, task: this.name }, 'periodic task failed; trying again later');
    }
    this.running = undefined;
    const soon = again === true || this.woken;
    this.woken = false;
    this.schedule(soon ? 0 : typeof again === 'number' ? again : this.intervalMs);
  }
}

/**
 * A provider that does one thing periodically from bootstrap to shutdown: its constructor calls `runEvery` once,
 * Nest's lifecycle starts and stops the task.
 */
export abstract class PeriodicService implements OnApplicationBootstrap, OnModuleDestroy {
  private task: PeriodicTask | undefined;

  protected runEvery(name: string, intervalMs: number, tick: () => Promise<unknown>, logger: Logger): void {
    this.task = new PeriodicTask(
      name,
      intervalMs,
      async () => {
        await tick();
        return false;
      },
      logger,
    );
  }

  onApplicationBootstrap(): void {
    this.task?.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.task?.stop();
  }
}

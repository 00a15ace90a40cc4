import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { LaunchDrillUseCase } from './launch-drill.use-case';

/** How often the api looks for drills whose time has come: a drill goes out at most this late. */
const INTERVAL_MS = 5_000;

/** Launches scheduled drills on time (every api process runs it; each due drill is claimed by one). */
@Injectable()
export class DrillScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DrillScheduler.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly launcher: LaunchDrillUseCase) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.running ??= this.tick().finally(() => (this.running = undefined));
    }, INTERVAL_MS);
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async tick(): Promise<void> {
    try {
      const launched = await this.launcher.launchDue(new Date());
      if (launched > 0) this.logger.log({ launched }, 'scheduled drills launched');
    } catch (err) {
      this.logger.error({ err }, 'drill scheduler failed; trying again later');
    }
  }
}

import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type ApiConfig } from '@bousai/config';
import { answerTarget } from '@bousai/domain';
import { type RecordAnswer, type RecordedAnswer, SafetyRepository } from '@bousai/persistence';
import { GroupCommit } from '../acks/group-commit';

/** An answer as recorded: for the alert it counts for (the newest correction that asked the person). */
export type WrittenAnswer = RecordedAnswer & { alertId: string };

/**
 * The api's one group commit of safety answers, whatever their channel: a batch costs two statements — the
 * correction chains of its answers (which alert each counts for, `answerTarget`), then one that records them all
 * with their escalation stops and audit rows — instead of three round trips and two commits an answer. Each caller
 * is answered once its batch committed (docs/performance.md, "Safety answers"). One batch is written at a time, so
 * answers to one request never wait on each other's row locks and a person's answers keep their order.
 */
@Injectable()
export class SafetyAnswerWriter implements OnModuleDestroy {
  private readonly group: GroupCommit<RecordAnswer, WrittenAnswer | undefined>;

  constructor(safety: SafetyRepository, @Inject(APP_CONFIG) config: ApiConfig) {
    this.group = new GroupCommit({
      name: SafetyAnswerWriter.name,
      flushMs: config.SAFETY_FLUSH_MS,
      maxRows: config.SAFETY_FLUSH_MAX_ROWS,
      lingerMs: config.SAFETY_FLUSH_LINGER_MS,
      unavailableMessage: 'the answer could not be recorded now; try again',
      describeFailure: (answers) => ({ answers: answers.length }),
      commit: async (answers) => {
        const chains = await safety.revisionsOf(answers);
        // an answer given on an alert a correction replaced counts for the newest correction that asked them
        const targeted = answers.map((a, k) => ({ ...a, alertId: answerTarget(chains[k]) ?? a.alertId }));
        const recorded = await safety.recordMany(targeted);
        return recorded.map((r, k) => r && { ...r, alertId: targeted[k].alertId });
      },
    });
  }

  /**
   * Resolves once the answer is durable, with what was recorded — undefined when the person was not asked for the
   * alert (nor for any correction of it); rejects with UNAVAILABLE when its batch could not be written.
   */
  record(answer: RecordAnswer): Promise<WrittenAnswer | undefined> {
    return this.group.submitOne(answer);
  }

  /** Shutdown (SIGTERM): every answer already accepted is written before the process ends. */
  async onModuleDestroy(): Promise<void> {
    await this.group.drain();
  }
}

import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type ApiConfig } from '@bousai/config';
import { answerTarget, DomainError, ErrorCode } from '@bousai/domain';
import { type RecordAnswer, type RecordedAnswer, SafetyRepository } from '@bousai/persistence';
import { GroupCommit } from '../acks/group-commit';

/** An answer as recorded: for the alert it counts for (the newest correction that asked the person). */
export type WrittenAnswer = RecordedAnswer & { alertId: string };

const NOT_RECORDED = 'the answer could not be recorded now; try again';

/**
 * The api's one group commit of safety answers, whatever their channel: a batch costs two statements — the
 * correction chains of its answers (which alert each counts for, `answerTarget`), then one that records them all
 * with their escalation stops and audit rows — instead of three round trips and two commits an answer. Each caller
 * is answered once its batch committed (docs/performance.md, "Safety answers"). One batch is written at a time, so
 * answers to one request never wait on each other's row locks and a person's answers keep their order. A batch
 * that fails is written again one answer at a time, so one answer Postgres refuses (a person deleted meanwhile)
 * does not fail the others of its batch: only its own caller is told UNAVAILABLE.
 */
@Injectable()
export class SafetyAnswerWriter implements OnModuleDestroy {
  private readonly logger = new Logger(SafetyAnswerWriter.name);
  private readonly group: GroupCommit<RecordAnswer, WrittenAnswer | undefined | DomainError>;

  constructor(
    private readonly safety: SafetyRepository,
    @Inject(APP_CONFIG) config: ApiConfig,
  ) {
    this.group = new GroupCommit({
      name: SafetyAnswerWriter.name,
      flushMs: config.SAFETY_FLUSH_MS,
      maxRows: config.SAFETY_FLUSH_MAX_ROWS,
      lingerMs: config.SAFETY_FLUSH_LINGER_MS,
      unavailableMessage: NOT_RECORDED,
      describeFailure: (answers) => ({ answers: answers.length }),
      commit: (answers) => this.commit(answers),
    });
  }

  /**
   * Resolves once the answer is durable, with what was recorded — undefined when the person was not asked for the
   * alert (nor for any correction of it); rejects with UNAVAILABLE when it could not be written.
   */
  async record(answer: RecordAnswer): Promise<WrittenAnswer | undefined> {
    const written = await this.group.submitOne(answer);
    if (written instanceof DomainError) throw written;
    return written;
  }

  private async commit(
    answers: readonly RecordAnswer[],
  ): Promise<(WrittenAnswer | undefined | DomainError)[]> {
    if (answers.length === 1) return this.write(answers);
    try {
      return await this.write(answers);
    } catch (err) {
      this.logger.warn(
        { err, answers: answers.length },
        'batch not recorded; writing its answers one by one',
      );
    }
    const alone: (WrittenAnswer | undefined | DomainError)[] = [];
    for (const answer of answers) {
      try {
        alone.push(...(await this.write([answer])));
      } catch (err) {
        this.logger.error({ err }, 'answer not recorded; its caller is told to retry');
        alone.push(new DomainError(ErrorCode.Unavailable, NOT_RECORDED));
      }
    }
    return alone;
  }

  private async write(answers: readonly RecordAnswer[]): Promise<(WrittenAnswer | undefined)[]> {
    const chains = await this.safety.revisionsOf(answers);
    // an answer given on an alert a correction replaced counts for the newest correction that asked them
    const targeted = answers.map((a, k) => ({ ...a, alertId: answerTarget(chains[k]) ?? a.alertId }));
    const recorded = await this.safety.recordMany(targeted);
    return recorded.map((r, k) => r && { ...r, alertId: targeted[k].alertId });
  }

  /** Shutdown (SIGTERM): every answer already accepted is written before the process ends. */
  async onModuleDestroy(): Promise<void> {
    await this.group.drain();
  }
}

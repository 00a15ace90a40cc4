import { Injectable } from '@nestjs/common';
import {
  type FeedMessageSink,
  type IntakeMessage,
  RecordingFeedMessageSink,
} from '../intake/feed-message.sink';
import { ApplyFeedRulesUseCase } from './apply-feed-rules.use-case';

/** Intake's sink with the rules behind it: the parsed message is recorded on its document, then applied. */
@Injectable()
export class RulesFeedMessageSink implements FeedMessageSink {
  constructor(
    private readonly recording: RecordingFeedMessageSink,
    private readonly applyRules: ApplyFeedRulesUseCase,
  ) {}

  async accept(documentId: string, message: IntakeMessage): Promise<void> {
    await this.recording.accept(documentId, message);
    await this.applyRules.execute(documentId, message);
  }
}

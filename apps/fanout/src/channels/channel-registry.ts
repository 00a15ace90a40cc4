import { Inject, Injectable } from '@nestjs/common';
import type { ChannelAdapter } from '@bousai/channels';
import { Channel } from '@bousai/domain';

/** The channel senders wired into this process (see `FANOUT_CHANNELS`). */
export const CHANNEL_ADAPTERS = Symbol('CHANNEL_ADAPTERS');

/**
 * The order the planner walks channels in, and so the order batches are queued in: household receivers and app
 * push first (fastest, loudest), then web push, then email and SNS (docs/architecture.md §5.2).
 */
export const PLAN_ORDER: readonly Channel[] = [
  Channel.Receiver,
  Channel.Fcm,
  Channel.WebPush,
  Channel.Email,
  Channel.Line,
];

/** Finds the sender of a channel. A channel without one is neither planned nor given a worker. */
@Injectable()
export class ChannelRegistry {
  private readonly byChannel = new Map<Channel, ChannelAdapter>();

  constructor(@Inject(CHANNEL_ADAPTERS) adapters: readonly ChannelAdapter[]) {
    for (const a of adapters) {
      if (this.byChannel.has(a.channel)) throw new Error(`two senders for channel ${a.channel}`);
      this.byChannel.set(a.channel, a);
    }
  }

  get(channel: Channel): ChannelAdapter | undefined {
    return this.byChannel.get(channel);
  }

  /** Channels with a sender, in {@link PLAN_ORDER}. */
  channels(): Channel[] {
    return PLAN_ORDER.filter((c) => this.byChannel.has(c));
  }
}

import { Logger } from '@nestjs/common';
import { DomainError, ErrorCode } from '@bousai/domain';

export interface GroupCommitOptions<T, R> {
  /** Names the writer in logs. */
  name: string;
  /** Longest time the oldest buffered item waits before its batch is written (when the writer is free). */
  flushMs: number;
  /**
   * How long an idle writer waits for company before it writes (≤ flushMs; default flushMs). 0 writes at the next
   * turn of the event loop: under load batches still grow, because whatever arrives while a write is in flight
   * goes into the next one, and at rest an item waits one write instead of flushMs.
   */
  lingerMs?: number;
  /** A batch is written as soon as this many items are buffered. */
  maxRows: number;
  /**
   * How many batches may be written at once (default 1). More than one suits writes whose time is mostly waiting
   * (the commit's flush to disk, a round trip) rather than the database's CPU: while one batch commits the next
   * is already on its way. The `commit` function must then be safe to run concurrently with itself.
   */
  writers?: number;
  /** Writes one batch durably (one statement, one commit) and returns one result per item, in order. */
  commit: (items: readonly T[]) => Promise<R[]>;
  /** What each caller of a batch that could not be written is told (UNAVAILABLE); by default "could not be recorded". */
  unavailableMessage?: string;
  /** Says what was lost when a batch could not be written (logged with the error, and told to each caller). */
  describeFailure?: (items: readonly T[]) => Record<string, unknown>;
}

interface Waiting<T, R> {
  items: readonly T[];
  /** Date.now() when the items were submitted: the flush deadline counts from the oldest. */
  at: number;
  resolve: (results: R[]) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit (docs/architecture.md §6): callers wait while their items sit in a buffer that is written as one bulk
 * statement every `flushMs` (≤100 ms) or `maxRows` items, whichever comes first (sooner with `lingerMs`), and
 * each caller is answered only after the batch that holds its items has committed. Nobody is told "recorded" for something that is not durable,
 * and ten thousand acknowledgements cost a handful of statements instead of ten thousand commits, each of which
 * would wait for its own fsync (docs/performance.md, Anchors). At most `writers` batches are written at once (by
 * default one, so two batches never contend for the same rows); while they are written the next fills up. A batch that fails is not retried here: each of its callers gets
 * `UNAVAILABLE` (a 503 or a socket reply that makes the device try again), and nothing is dropped silently.
 *
 * A caller's items stay together in one batch, so a batch may exceed `maxRows` by the last caller's items.
 */
export class GroupCommit<T, R> {
  private readonly logger: Logger;
  private waiting: Waiting<T, R>[] = [];
  private buffered = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Batches being written. */
  private readonly writing = new Set<Promise<void>>();

  constructor(private readonly options: GroupCommitOptions<T, R>) {
    this.logger = new Logger(options.name);
  }

  /** Buffers `items`; resolves with their results (same order) once they are durable. */
  submit(items: readonly T[]): Promise<R[]> {
    if (items.length === 0) return Promise.resolve([]);
    return new Promise<R[]>((resolve, reject) => {
      this.waiting.push({ items, at: Date.now(), resolve, reject });
      this.buffered += items.length;
      this.schedule();
    });
  }

  /** Buffers one item; resolves with its result once it is durable. */
  async submitOne(item: T): Promise<R> {
    const [result] = await this.submit([item]);
    return result;
  }

  /** Items buffered and not yet being written. */
  get pending(): number {
    return this.buffered;
  }

  /** Writes everything buffered and waits for it (shutdown). */
  async drain(): Promise<void> {
    while (this.writing.size > 0 || this.waiting.length > 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
      if (this.waiting.length > 0 && this.writing.size < this.writers) void this.write();
      await Promise.race(this.writing);
    }
  }

  private get writers(): number {
    return Math.max(1, this.options.writers ?? 1);
  }

  private schedule(): void {
    if (this.writing.size >= this.writers) return; // a write that ends schedules the next one
    if (this.buffered >= this.options.maxRows) {
      clearTimeout(this.timer);
      this.timer = undefined;
      void this.write();
      return;
    }
    // the deadline is the oldest caller's, so time spent behind the previous write counts
    const oldest = this.waiting[0]?.at ?? Date.now();
    const wait = Math.min(this.options.lingerMs ?? this.options.flushMs, this.options.flushMs);
    this.timer ??= setTimeout(
      () => {
        this.timer = undefined;
        void this.write();
      },
      Math.max(0, oldest + wait - Date.now()),
    );
  }

  private write(): Promise<void> {
    let rows = 0;
    let take = 0;
    while (take < this.waiting.length && (take === 0 || rows < this.options.maxRows)) {
      const next = this.waiting[take].items.length;
      if (take > 0 && rows + next > this.options.maxRows) break;
      rows += next;
      take++;
    }
    const batch = this.waiting.splice(0, take);
    this.buffered -= rows;
    const written: Promise<void> = this.commit(batch).finally(() => {
      this.writing.delete(written);
      if (this.waiting.length > 0) this.schedule();
    });
    this.writing.add(written);
    // a free writer takes what is still buffered (more than maxRows arrived at once) on its own deadline
    if (this.waiting.length > 0) this.schedule();
    return written;
  }

  /** Never rejects: each waiting caller learns its own outcome. */
  private async commit(batch: Waiting<T, R>[]): Promise<void> {
    if (batch.length === 0) return;
    const items = batch.length === 1 ? batch[0].items : batch.flatMap((w) => w.items);
    let results: R[];
    try {
      results = await this.options.commit(items);
      if (results.length !== items.length) {
        throw new Error(`commit returned ${results.length} results for ${items.length} items`);
      }
    } catch (err) {
      this.logger.error(
        { err, callers: batch.length, items: items.length, ...this.options.describeFailure?.(items) },
        'batch not recorded; callers are told to retry',
      );
      const failure = new DomainError(
        ErrorCode.Unavailable,
        this.options.unavailableMessage ?? 'could not be recorded now; try again',
      );
      for (const w of batch) w.reject(failure);
      return;
    }
    let offset = 0;
    for (const w of batch) {
      w.resolve(results.slice(offset, offset + w.items.length));
      offset += w.items.length;
    }
  }
}

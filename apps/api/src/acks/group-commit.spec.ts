import { DomainError, ErrorCode } from '@bousai/domain';
import { GroupCommit } from './group-commit';

/** A store that records each batch it is asked to write and lets the test decide when the write ends. */
class ControlledStore {
  readonly batches: number[][] = [];
  private readonly pending: { resolve: () => void; reject: (err: unknown) => void }[] = [];

  commit = (items: readonly number[]): Promise<string[]> => {
    this.batches.push([...items]);
    return new Promise<void>((resolve, reject) => this.pending.push({ resolve, reject })).then(() =>
      items.map((n) => `ok:${n}`),
    );
  };

  finish(): void {
    this.pending.shift()?.resolve();
  }

  fail(err: unknown): void {
    this.pending.shift()?.reject(err);
  }
}

const settle = () =>
  new Promise((r) => jest.requireActual<typeof import('timers')>('timers').setImmediate(r));

describe(GroupCommit.name, () => {
  let store: ControlledStore;
  let sut: GroupCommit<number, string>;

  beforeEach(() => {
    jest.useFakeTimers();
    store = new ControlledStore();
    sut = new GroupCommit({ name: 'test', flushMs: 100, maxRows: 5, commit: store.commit });
  });
  afterEach(() => jest.useRealTimers());

  it('writes what arrived within flushMs as one batch and answers each caller with its own results', async () => {
    const a = sut.submit([1, 2]);
    const b = sut.submitOne(3);
    jest.advanceTimersByTime(99);
    expect(store.batches).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(store.batches).toEqual([[1, 2, 3]]);
    store.finish();
    await expect(a).resolves.toEqual(['ok:1', 'ok:2']);
    await expect(b).resolves.toBe('ok:3');
  });

  it('answers nobody before the batch committed', async () => {
    let answered = false;
    void sut.submitOne(1).then(() => (answered = true));
    jest.advanceTimersByTime(100);
    await settle();
    expect(answered).toBe(false);
    store.finish();
    await settle();
    expect(answered).toBe(true);
  });

  it('writes at once when maxRows are buffered, and keeps a caller’s items together', async () => {
    const first = sut.submit([1, 2, 3]);
    const second = sut.submit([4, 5, 6]);
    // 6 ≥ 5 rows: no timer needed; the second caller's items are not split across batches
    expect(store.batches).toEqual([[1, 2, 3]]);
    store.finish();
    await first;
    await settle();
    // the rest waits for its own deadline, counted from when it arrived (already past: written at once)
    jest.advanceTimersByTime(100);
    expect(store.batches).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    store.finish();
    await expect(second).resolves.toEqual(['ok:4', 'ok:5', 'ok:6']);
  });

  it('writes one batch at a time; what arrives meanwhile goes into the next', async () => {
    const a = sut.submitOne(1);
    jest.advanceTimersByTime(100);
    const b = sut.submitOne(2);
    const c = sut.submitOne(3);
    jest.advanceTimersByTime(500);
    expect(store.batches).toEqual([[1]]);
    store.finish();
    await a;
    await settle();
    // both are overdue by now: written on the next turn of the event loop
    jest.advanceTimersByTime(0);
    expect(store.batches).toEqual([[1], [2, 3]]);
    store.finish();
    await expect(Promise.all([b, c])).resolves.toEqual(['ok:2', 'ok:3']);
  });

  it('rejects every caller of a failed batch with UNAVAILABLE, and goes on with the next', async () => {
    const a = sut.submitOne(1);
    const b = sut.submit([2, 3]);
    jest.advanceTimersByTime(100);
    const c = sut.submitOne(4);
    store.fail(new Error('connection lost'));
    for (const failed of [a, b]) {
      await expect(failed).rejects.toBeInstanceOf(DomainError);
      await expect(failed).rejects.toMatchObject({ code: ErrorCode.Unavailable });
    }
    await settle();
    jest.advanceTimersByTime(100);
    expect(store.batches).toEqual([[1, 2, 3], [4]]);
    store.finish();
    await expect(c).resolves.toBe('ok:4');
  });

  it('with lingerMs 0 an idle writer starts at once, and what arrives during its write forms the next batch', async () => {
    const eager = new GroupCommit({
      name: 'eager',
      flushMs: 100,
      lingerMs: 0,
      maxRows: 5,
      commit: store.commit,
    });
    const a = eager.submitOne(1);
    const b = eager.submitOne(2);
    jest.advanceTimersByTime(0);
    expect(store.batches).toEqual([[1, 2]]);
    const c = eager.submitOne(3);
    const d = eager.submitOne(4);
    jest.advanceTimersByTime(500);
    expect(store.batches).toEqual([[1, 2]]);
    store.finish();
    await expect(Promise.all([a, b])).resolves.toEqual(['ok:1', 'ok:2']);
    await settle();
    jest.advanceTimersByTime(0);
    expect(store.batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    store.finish();
    await expect(Promise.all([c, d])).resolves.toEqual(['ok:3', 'ok:4']);
  });

  it('with writers 2 a second batch is written while the first commits, and a third waits for a free writer', async () => {
    const pair = new GroupCommit({
      name: 'pair',
      flushMs: 100,
      lingerMs: 0,
      maxRows: 5,
      writers: 2,
      commit: store.commit,
    });
    const a = pair.submitOne(1);
    jest.advanceTimersByTime(0);
    const b = pair.submitOne(2);
    jest.advanceTimersByTime(0);
    const c = pair.submitOne(3);
    jest.advanceTimersByTime(500);
    expect(store.batches).toEqual([[1], [2]]);
    store.finish();
    await expect(a).resolves.toBe('ok:1');
    await settle();
    jest.advanceTimersByTime(0);
    expect(store.batches).toEqual([[1], [2], [3]]);
    store.finish();
    store.finish();
    await expect(Promise.all([b, c])).resolves.toEqual(['ok:2', 'ok:3']);
  });

  it('drain with several writers waits for every batch in flight', async () => {
    const pair = new GroupCommit({
      name: 'pair',
      flushMs: 100,
      maxRows: 1,
      writers: 2,
      commit: store.commit,
    });
    const a = pair.submitOne(1);
    const b = pair.submitOne(2);
    const c = pair.submitOne(3);
    expect(store.batches).toEqual([[1], [2]]);
    let drained = false;
    const draining = pair.drain().then(() => (drained = true));
    store.finish();
    await settle();
    expect(store.batches).toEqual([[1], [2], [3]]);
    store.finish();
    await settle();
    expect(drained).toBe(false);
    store.finish();
    await draining;
    await expect(Promise.all([a, b, c])).resolves.toEqual(['ok:1', 'ok:2', 'ok:3']);
  });

  it('drain writes everything buffered without waiting for the deadline', async () => {
    const a = sut.submitOne(1);
    const drained = sut.drain();
    expect(store.batches).toEqual([[1]]);
    store.finish();
    await drained;
    await expect(a).resolves.toBe('ok:1');
    expect(sut.pending).toBe(0);
  });
});

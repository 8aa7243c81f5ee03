// Batching for hot paths: work that arrives while earlier work of its kind is with PostgreSQL waits, then
// goes together — one transaction (group commit) or one statement — so fifty concurrent requests cost a few
// round trips instead of fifty. Used for session checks, the audit entries of reads and recording concerns.

interface Waiting<I, O> { item: I; done: (result: O) => void; failed: (error: unknown) => void }

export interface BatcherOptions<I> {
  /** batches in flight at once, each on its own connection */
  maxWriting: number;
  /** the most a batch may hold, counted by `size` */
  maxBatch: number;
  /** how much of a batch one item takes (default 1) */
  size?: (item: I) => number;
}

/**
 * `write` receives a batch and answers each item in order (for writes, in one transaction). An item arriving
 * when a slot is free goes at once, alone: batching costs a lone request nothing. When a batch of several
 * fails, each of its items is tried again on its own, so one bad item fails only itself.
 */
export class Batcher<I, O> {
  private queue: Waiting<I, O>[] = [];
  private writing = 0;
  private readonly size: (item: I) => number;

  constructor(private readonly write: (items: I[]) => Promise<O[]>, private readonly opts: BatcherOptions<I>) {
    this.size = opts.size ?? (() => 1);
  }

  add(item: I): Promise<O> {
    return new Promise<O>((done, failed) => {
      this.queue.push({ item, done, failed });
      this.pump();
    });
  }

  private pump(): void {
    while (this.writing < this.opts.maxWriting && this.queue.length) {
      const batch: Waiting<I, O>[] = [];
      let size = 0;
      while (this.queue.length && (size === 0 || size + this.size(this.queue[0]!.item) <= this.opts.maxBatch)) {
        const next = this.queue.shift()!;
        batch.push(next);
        size += this.size(next.item);
      }
      this.writing += 1;
      this.writeBatch(batch).finally(() => {
        this.writing -= 1;
        this.pump();
      });
    }
  }

  private async writeBatch(batch: Waiting<I, O>[]): Promise<void> {
    try {
      const results = await this.write(batch.map((w) => w.item));
      batch.forEach((w, i) => w.done(results[i]!));
    } catch (error) {
      if (batch.length === 1) return batch[0]!.failed(error);
      await Promise.all(batch.map((w) => this.write([w.item]).then((r) => w.done(r[0]!), w.failed)));
    }
  }
}

/** One Batcher per pool and purpose, made on first use. */
export function batcherPer<K extends object, I, O>(make: (key: K) => Batcher<I, O>): (key: K) => Batcher<I, O> {
  const made = new WeakMap<K, Batcher<I, O>>();
  return (key) => {
    let g = made.get(key);
    if (!g) {
      g = make(key);
      made.set(key, g);
    }
    return g;
  };
}

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Batcher } from '../../src/platform/db/batch.ts';

/** A writer whose batches finish only when the test lets them. */
function controlledWriter(fail: (item: number) => boolean = () => false) {
  const batches: number[][] = [];
  const pending: (() => void)[] = [];
  const write = (items: number[]) => {
    batches.push(items);
    return new Promise<number[]>((resolve, reject) => {
      pending.push(() => (items.some(fail) ? reject(new Error(`refused ${items.join(',')}`)) : resolve(items.map((i) => i * 10))));
    });
  };
  const finishAll = async () => {
    while (pending.length) {
      pending.shift()!();
      await new Promise((r) => setImmediate(r));
    }
  };
  return { batches, write, finishAll };
}

describe('group commit', () => {
  test('a lone item is written at once; items arriving meanwhile wait and go together, each answered in order', async () => {
    const w = controlledWriter();
    const g = new Batcher(w.write, { maxWriting: 1, maxBatch: 10 });
    const answers = [1, 2, 3, 4].map((i) => g.add(i));
    assert.deepEqual(w.batches, [[1]]);
    await w.finishAll();
    assert.deepEqual(await Promise.all(answers), [10, 20, 30, 40]);
    assert.deepEqual(w.batches, [[1], [2, 3, 4]]);
  });

  test('batches hold at most maxBatch, counted by size, and up to maxWriting are written at once', async () => {
    const w = controlledWriter();
    const g = new Batcher(w.write, { maxWriting: 2, maxBatch: 4, size: (i) => (i === 5 ? 3 : 1) });
    const answers = [1, 2, 3, 4, 5, 6, 7].map((i) => g.add(i));
    assert.deepEqual(w.batches, [[1], [2]]);
    await w.finishAll();
    await Promise.all(answers);
    assert.deepEqual(w.batches, [[1], [2], [3, 4], [5, 6], [7]]);
  });

  test('when a batch fails, each of its items is written alone, so only the bad one fails', async () => {
    const w = controlledWriter((i) => i === 3);
    const g = new Batcher(w.write, { maxWriting: 1, maxBatch: 10 });
    const answers = Promise.allSettled([1, 2, 3, 4].map((i) => g.add(i)));
    await w.finishAll();
    const settled = await answers;
    assert.deepEqual(settled.map((s) => s.status), ['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    assert.match(String((settled[2] as PromiseRejectedResult).reason), /refused 3$/);
    assert.deepEqual(w.batches, [[1], [2, 3, 4], [2], [3], [4]]);
  });
});

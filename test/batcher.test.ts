import { describe, expect, it } from 'vitest';
import { batcher } from '../src/ingest/batcher.ts';

describe('batcher (embedding worker: model batches and commit-queue adds)', () => {
  it('sends a full batch at once and the rest after the wait, each caller getting its own result', async () => {
    const calls: number[][] = [];
    const b = batcher(async (xs: number[]) => {
      calls.push(xs);
      return xs.map((x) => x * 10);
    }, 3, 20);
    const results = await Promise.all([1, 2, 3, 4].map((x) => b.run(x)));
    expect(results).toEqual([10, 20, 30, 40]);
    // 1–3 fill a batch; 4 waits for the timer.
    expect(calls).toEqual([[1, 2, 3], [4]]);
  });

  it('runs the items of a failed batch alone, so that only the poison item fails', async () => {
    const calls: string[][] = [];
    const b = batcher(async (xs: string[]) => {
      calls.push(xs);
      if (xs.includes('poison')) throw new Error('bad record');
      return xs.map((x) => x.toUpperCase());
    }, 3, 20);
    const settled = await Promise.allSettled(['a', 'poison', 'c'].map((x) => b.run(x)));
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual(['A', 'bad record', 'C']);
    expect(calls).toEqual([['a', 'poison', 'c'], ['a'], ['poison'], ['c']]);
  });
});

import fs from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { groupInput, type GroupInput } from '../src/topics/group-results.ts';
import { createGroupPool, startGroupThreads, type StartGroupThreads } from '../src/topics/group-pool.ts';

/** Nine papers in three clear groups (vectors along three axes), with words to label them by. */
function input(): GroupInput {
  const topics = [
    ['protein folding structure', 'amino acid chains fold into structures'],
    ['galaxy redshift survey', 'distant galaxies and their redshift'],
    ['graph neural network', 'message passing on graph nodes'],
  ];
  const dimension = 3;
  const vectors = new Float32Array(9 * dimension);
  const docs = Array.from({ length: 9 }, (_, i) => {
    const t = i % 3;
    vectors[i * dimension + t] = 1;
    vectors[i * dimension + ((t + 1) % 3)] = 0.01 * i;
    return { title: `${topics[t][0]} ${i}`, abstract: topics[t][1] };
  });
  return { vectors, dimension, docs, query: 'papers' };
}

/** This process's threads whose scheduling class is SCHED_IDLE (policy 5, field 41 of /proc/…/task/<tid>/stat). */
function idleThreads(): number {
  return fs.readdirSync('/proc/self/task').filter((tid) => {
    const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[38] === '5';
  }).length;
}

const pools: { close(): Promise<void> }[] = [];
afterAll(() => Promise.all(pools.map((p) => p.close())));

async function pool(start: StartGroupThreads) {
  const p = await createGroupPool(1, 0, start);
  pools.push(p);
  return p;
}

describe('the grouping pool', () => {
  it('starts no thread until the first job, and one start serves concurrent first jobs', async () => {
    const start = vi.fn(startGroupThreads);
    const grouper = await pool(start);
    expect(start).not.toHaveBeenCalled();
    const [a, b] = await Promise.all([grouper.group(input()), grouper.group(input())]);
    expect(start).toHaveBeenCalledTimes(1);
    // The threads cluster as this thread would.
    expect(a).toEqual(groupInput(input()));
    expect(b).toEqual(a);
    expect(a).toHaveLength(3);
    await grouper.group(input());
    expect(start).toHaveBeenCalledTimes(1);
  });

  it('closes at once when no job came, starting nothing; a job after close is refused', async () => {
    const start = vi.fn(startGroupThreads);
    const grouper = await createGroupPool(1, 0, start);
    await grouper.close();
    expect(start).not.toHaveBeenCalled();
    await expect(grouper.group(input())).rejects.toThrow(/closed/);
    expect(start).not.toHaveBeenCalled();
  });

  it('fails the job whose start failed, and the next job starts again', async () => {
    const start = vi.fn<StartGroupThreads>().mockRejectedValueOnce(new Error('no threads today')).mockImplementation(startGroupThreads);
    const grouper = await pool(start);
    await expect(grouper.group(input())).rejects.toThrow('no threads today');
    expect(await grouper.group(input())).toEqual(groupInput(input()));
    expect(start).toHaveBeenCalledTimes(2);
  });

  it('answers a job aborted while the threads start with the signal’s reason; the start goes on for the next job', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const start = vi.fn<StartGroupThreads>(async (size, nice) => {
      await gate;
      return startGroupThreads(size, nice);
    });
    const grouper = await pool(start);
    const controller = new AbortController();
    const job = grouper.group(input(), controller.signal);
    controller.abort(new Error('client went away'));
    await expect(job).rejects.toThrow('client went away');
    release();
    expect(await grouper.group(input())).toEqual(groupInput(input()));
    expect(start).toHaveBeenCalledTimes(1);
  });

  it('stops the threads of a start that close() overtook, and refuses the job that waited for it', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const closeThreads = vi.fn();
    const start = vi.fn<StartGroupThreads>(async (size, nice) => {
      await gate;
      const threads = await startGroupThreads(size, nice);
      return {
        ...threads,
        run: threads.run.bind(threads),
        close: async () => {
          closeThreads();
          await threads.close();
        },
      };
    });
    const grouper = await createGroupPool(1, 0, start);
    const job = grouper.group(input());
    const closing = grouper.close();
    release();
    await expect(job).rejects.toThrow(/closed/);
    await closing;
    expect(closeThreads).toHaveBeenCalledTimes(1);
  });

  it("puts its threads in Linux's SCHED_IDLE class when asked for 'idle' (QUERY_THREAD_NICE=idle), and only them", async () => {
    const before = idleThreads();
    const threads = await startGroupThreads(2, 'idle');
    try {
      expect(idleThreads() - before).toBe(2);
      // They still work.
      expect(await threads.run({ input: input(), cancel: new Int32Array(new SharedArrayBuffer(4)) })).toEqual(groupInput(input()));
    } finally {
      await threads.close();
    }
    expect(idleThreads()).toBe(before);
  });
});

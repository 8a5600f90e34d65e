import type { Worker } from 'node:worker_threads';
import type { GroupInput, InputGroup, ResultGrouper } from './group-results.ts';
import type { GroupReply, GroupRequest } from './group-worker.ts';
import { siblingModule, startWorker } from '../worker-thread.ts';

const WORKER_URL = siblingModule(import.meta.url, 'group-worker');

interface Job {
  resolve(groups: InputGroup[]): void;
  reject(err: Error): void;
}

/**
 * Query-time clustering on `size` worker threads, so that k-means and its
 * silhouette never hold the event loop. A job goes to the least busy thread;
 * an aborted job is answered at once (with the signal's reason) and its thread
 * told to stop.
 */
export async function createGroupPool(size: number): Promise<ResultGrouper & { close(): Promise<void> }> {
  const threads: Worker[] = Array.from({ length: size }, () => startWorker(WORKER_URL));
  // Ready before serving: loading the thread's modules is paid at start-up, not by the first topic query.
  await Promise.all(
    threads.map((w) => new Promise<void>((resolve, reject) => {
      w.once('message', () => resolve());
      w.once('error', reject);
    })),
  ).catch(async (err) => {
    await Promise.all(threads.map((w) => w.terminate()));
    throw err;
  });
  const waiting = threads.map(() => new Map<number, Job>());
  const dead: (Error | undefined)[] = threads.map(() => undefined);
  threads.forEach((worker, t) => {
    worker.on('message', (reply: GroupReply) => {
      if ('ready' in reply) return;
      const job = waiting[t].get(reply.jobId);
      waiting[t].delete(reply.jobId);
      if ('groups' in reply) job?.resolve(reply.groups);
      else job?.reject(new Error(reply.error));
    });
    const die = (err: Error) => {
      dead[t] ??= err;
      for (const job of waiting[t].values()) job.reject(dead[t]!);
      waiting[t].clear();
    };
    worker.on('error', die);
    worker.on('exit', (code) => die(new Error(`grouping thread exited (code ${code})`)));
  });
  let nextJobId = 0;

  return {
    group(input: GroupInput, signal?: AbortSignal): Promise<InputGroup[]> {
      return new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const loads = waiting.map((jobs, t) => (dead[t] ? Infinity : jobs.size));
        const t = loads.indexOf(Math.min(...loads));
        if (dead[t]) return reject(dead[t]);
        const jobId = nextJobId++;
        const cancel = new Int32Array(new SharedArrayBuffer(4));
        const onAbort = () => {
          Atomics.store(cancel, 0, 1);
          waiting[t].delete(jobId);
          reject(signal!.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        const done = () => signal?.removeEventListener('abort', onAbort);
        waiting[t].set(jobId, {
          resolve: (groups) => (done(), resolve(groups)),
          reject: (err) => (done(), reject(err)),
        });
        threads[t].postMessage({ jobId, input, cancel } satisfies GroupRequest);
      });
    },
    async close() {
      await Promise.all(threads.map((w) => w.terminate()));
    },
  };
}

import type { GroupInput, InputGroup, ResultGrouper } from './group-results.ts';
import type { GroupRequest } from './group-worker.ts';
import { siblingModule } from '../worker-thread.ts';
import { startWorkerPool, type ThreadPriority, type WorkerPool } from '../worker-pool.ts';

const WORKER_URL = siblingModule(import.meta.url, 'group-worker');

/** Starts the threads (startWorkerPool on the grouping worker); a parameter so that tests can count and fail starts. */
export type StartGroupThreads = (size: number, nice: ThreadPriority) => Promise<WorkerPool<GroupRequest, InputGroup[]>>;

export const startGroupThreads: StartGroupThreads = async (size, nice) =>
  (await startWorkerPool<null, GroupRequest, InputGroup[]>(WORKER_URL, size, { name: 'grouping', nice })).pool;

/** A promise that rejects with the signal's reason once it aborts. */
function aborted(signal: AbortSignal): { promise: Promise<never>; dispose(): void } {
  let onAbort!: () => void;
  const promise = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}

/**
 * Query-time clustering on `size` worker threads (at CPU priority `nice`), so
 * that k-means and its silhouette never hold the event loop. A job goes to the
 * least busy thread; an aborted job is answered at once (with the signal's
 * reason) and its thread told to stop.
 *
 * The threads start at the first job, not here: most servers (and most test
 * servers) never group a result list, and a thread's start costs 0.35 CPU-s
 * compiled, 1.3-1.6 under tsx. Concurrent first jobs share one start; a start
 * that fails is that job's error, and the next job tries again. close() before
 * any job starts nothing.
 */
export async function createGroupPool(
  size: number,
  nice: ThreadPriority = 0,
  startThreads: StartGroupThreads = startGroupThreads,
): Promise<ResultGrouper & { close(): Promise<void> }> {
  let starting: Promise<WorkerPool<GroupRequest, InputGroup[]>> | null = null;
  let closed = false;
  const closedError = () => new Error('the grouping pool is closed');
  const pool = () => {
    starting ??= startThreads(size, nice).catch((err) => {
      starting = null;
      throw err;
    });
    return starting;
  };
  return {
    async group(input: GroupInput, signal?: AbortSignal): Promise<InputGroup[]> {
      if (signal?.aborted) throw signal.reason;
      if (closed) throw closedError();
      let threads: WorkerPool<GroupRequest, InputGroup[]>;
      if (signal) {
        // A job aborted while the threads start is answered at once; the start goes on for later jobs.
        const abort = aborted(signal);
        try {
          threads = await Promise.race([pool(), abort.promise]);
        } finally {
          abort.dispose();
        }
      } else threads = await pool();
      if (closed) throw closedError();
      const cancel = new Int32Array(new SharedArrayBuffer(4));
      return threads.run({ input, cancel }, { signal, onAbort: () => Atomics.store(cancel, 0, 1) });
    },
    async close() {
      closed = true;
      const started = starting;
      starting = null;
      // A start under way is waited for and its threads stopped; one that failed left nothing to stop.
      await started?.then(
        (threads) => threads.close(),
        () => undefined,
      );
    },
  };
}

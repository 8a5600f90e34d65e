import type { GroupInput, InputGroup, ResultGrouper } from './group-results.ts';
import type { GroupRequest } from './group-worker.ts';
import { siblingModule } from '../worker-thread.ts';
import { startWorkerPool } from '../worker-pool.ts';

const WORKER_URL = siblingModule(import.meta.url, 'group-worker');

/**
 * Query-time clustering on `size` worker threads (at CPU priority `nice`), so
 * that k-means and its silhouette never hold the event loop. A job goes to the
 * least busy thread; an aborted job is answered at once (with the signal's
 * reason) and its thread told to stop.
 */
export async function createGroupPool(size: number, nice = 0): Promise<ResultGrouper & { close(): Promise<void> }> {
  const { pool } = await startWorkerPool<null, GroupRequest, InputGroup[]>(WORKER_URL, size, { name: 'grouping', nice });
  return {
    group(input: GroupInput, signal?: AbortSignal): Promise<InputGroup[]> {
      const cancel = new Int32Array(new SharedArrayBuffer(4));
      return pool.run({ input, cancel }, { signal, onAbort: () => Atomics.store(cancel, 0, 1) });
    },
    close: () => pool.close(),
  };
}

import type { EmbedderOptions } from '../embed/create-embedder.ts';
import { PaperscopeError } from '../errors.ts';
import { siblingModule } from '../worker-thread.ts';
import { startWorkerPool, type ThreadPriority } from '../worker-pool.ts';
import type { Searcher } from './context.ts';
import type { FusionParams } from './fuse.ts';
import type { SearchParams, SearchResponse } from './search.ts';
import type { SearchInfo, SearchJob, SearchJobResult } from './search-worker.ts';

export interface SearchPool {
  /** The query model's id and dimension, as the threads loaded it. */
  readonly id: string;
  readonly dimension: number;
  readonly threads: number;
  /** A query's vector, on the least busy thread (each thread caches its own). */
  embedQuery(text: string): Promise<Float32Array>;
  /**
   * Loads the build in `dir` on every thread (already verified by the caller);
   * rejects, releasing the threads that did load it, if one cannot.
   */
  open(dir: string, fusion?: FusionParams): Promise<Searcher>;
  close(): Promise<void>;
}

const WORKER_URL = siblingModule(import.meta.url, 'search-worker');

/**
 * `size` query threads at CPU priority `nice`, each with the query model
 * (USE-lite) and its own copy of every open build: a whole uncached search runs
 * on the least busy thread, and the event loop only sends the query and
 * receives the answer.
 */
export async function createSearchPool(spec: string, options: EmbedderOptions, size: number, nice: ThreadPriority = 0): Promise<SearchPool> {
  const { pool, info } = await startWorkerPool<SearchInfo, SearchJob, SearchJobResult>(WORKER_URL, size, { name: 'search', workerData: { spec, options }, nice });
  const everyThread = (job: SearchJob) => Promise.allSettled(Array.from({ length: size }, (_, thread) => pool.run(job, { thread })));
  const release = (dir: string) => void everyThread({ kind: 'release', dir });
  return {
    id: info[0].id,
    dimension: info[0].dimension,
    threads: size,
    embedQuery: async (text) => (await pool.run({ kind: 'embed', text })) as Float32Array,
    async open(dir, fusion) {
      const opened = await everyThread({ kind: 'open', dir, fusion });
      const failed = opened.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      if (failed) {
        opened.forEach((o, thread) => o.status === 'fulfilled' && void pool.run({ kind: 'release', dir }, { thread }).catch(() => undefined));
        throw failed.reason;
      }
      let released = false;
      return {
        async search(params: SearchParams, signal?: AbortSignal): Promise<SearchResponse> {
          if (signal?.aborted) throw signal.reason;
          if (released) throw new PaperscopeError('INTERNAL', `The build ${dir} has been released; no search can run on it`, { buildDir: dir });
          const started = performance.now();
          const response = (await pool.run({ kind: 'search', dir, params }, { signal })) as SearchResponse;
          // The time the caller waited, the thread's queue included.
          return { ...response, took_ms: Math.round((performance.now() - started) * 100) / 100 };
        },
        release() {
          if (released) return;
          released = true;
          release(dir);
        },
      };
    },
    close: () => pool.close(),
  };
}

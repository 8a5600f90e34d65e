import type { Embedder } from './embedder.ts';
import { createEmbedder, embedsInWorkers, type EmbedderOptions } from './create-embedder.ts';
import type { EmbedInfo, EmbedRequest } from './embed-worker.ts';
import { siblingModule } from '../worker-thread.ts';
import { startWorkerPool, type ThreadPriority } from '../worker-pool.ts';

export interface EmbedPool extends Embedder {
  readonly workers: number;
  /** Embeds documents across the workers; results come back in input order. */
  embedDocuments(texts: string[], onBatch?: (done: number) => void): Promise<Float32Array[]>;
  close(): Promise<void>;
}

const WORKER_URL = siblingModule(import.meta.url, 'embed-worker');

/** The same interface over one in-process embedder, for backends that parallelise internally or are fitted in process. */
export function inProcessPool(embedder: Embedder, batchSize = 16): EmbedPool {
  return {
    id: embedder.id,
    dimension: embedder.dimension,
    workers: 1,
    async embedDocuments(texts, onBatch) {
      const out: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        out.push(...(await embedder.embedDocuments(texts.slice(start, start + batchSize))));
        onBatch?.(out.length);
      }
      return out;
    },
    embedQuery: (text) => embedder.embedQuery(text),
    close: async () => embedder.dispose?.(),
  };
}

/**
 * Starts `size` embedding threads, each with its own copy of the model (or one
 * in-process model, see embedsInWorkers), at CPU priority `nice`.
 */
export async function createEmbedPool(spec: string, options: EmbedderOptions, size: number, batchSize = 16, nice: ThreadPriority = 0): Promise<EmbedPool> {
  if (!embedsInWorkers(spec)) return inProcessPool(await createEmbedder(spec, options), batchSize);
  const { pool, info } = await startWorkerPool<EmbedInfo, EmbedRequest, Float32Array>(WORKER_URL, size, { name: 'embedding', workerData: { spec, options }, nice });
  const { id, dimension } = info[0];
  return {
    id,
    dimension,
    workers: size,
    async embedDocuments(texts, onBatch) {
      const out: Float32Array[] = new Array(texts.length);
      let next = 0;
      let done = 0;
      // Each thread pulls the next batch when it finishes one, so a slow batch never idles the others.
      await Promise.all(
        Array.from({ length: size }, async (_, thread) => {
          while (next < texts.length) {
            const start = next;
            next += batchSize;
            const flat = await pool.run({ texts: texts.slice(start, start + batchSize), kind: 'documents' }, { thread });
            for (let i = 0; i * dimension < flat.length; i++) out[start + i] = flat.subarray(i * dimension, (i + 1) * dimension);
            done += flat.length / dimension;
            onBatch?.(done);
          }
        }),
      );
      return out;
    },
    /** On the least busy thread: the service's queries run beside the event loop, one per core. */
    embedQuery: (text) => pool.run({ texts: [text], kind: 'query' }),
    close: () => pool.close(),
  };
}

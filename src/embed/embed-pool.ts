import { Worker } from 'node:worker_threads';
import { PaperscopeError, type ErrorCode } from '../errors.ts';
import type { Embedder } from './embedder.ts';
import { createEmbedder, embedsInWorkers, type EmbedderOptions } from './create-embedder.ts';
import type { EmbedReply, EmbedRequest } from './embed-worker.ts';

export interface EmbedPool {
  readonly id: string;
  readonly dimension: number;
  readonly workers: number;
  /** Embeds documents across the workers; results come back in input order. */
  embedDocuments(texts: string[], onBatch?: (done: number) => void): Promise<Float32Array[]>;
  close(): Promise<void>;
}

const WORKER_URL = new URL('./embed-worker-boot.mjs', import.meta.url);

function toError(reply: Extract<EmbedReply, { type: 'error' }>): Error {
  return reply.code ? new PaperscopeError(reply.code as ErrorCode, reply.message, reply.details) : new Error(reply.message);
}

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
    close: async () => embedder.dispose?.(),
  };
}

/** Starts `size` embedding threads, each with its own copy of the model (or one in-process model, see embedsInWorkers). */
export async function createEmbedPool(spec: string, options: EmbedderOptions, size: number, batchSize = 16): Promise<EmbedPool> {
  if (!embedsInWorkers(spec)) return inProcessPool(await createEmbedder(spec, options), batchSize);
  const threads = Array.from({ length: size }, () => new Worker(WORKER_URL, { workerData: { spec, options }, }));
  const infos = await Promise.all(
    threads.map(
      (w) =>
        new Promise<{ id: string; dimension: number }>((resolve, reject) => {
          w.once('message', (m: EmbedReply) => (m.type === 'ready' ? resolve(m) : reject(m.type === 'error' ? toError(m) : new Error('unexpected reply'))));
          w.once('error', reject);
        }),
    ),
  ).catch(async (err) => {
    await Promise.all(threads.map((w) => w.terminate()));
    throw err;
  });
  const { id, dimension } = infos[0];

  async function runOn(worker: Worker, jobId: number, texts: string[]): Promise<Float32Array> {
    return new Promise((resolve, reject) => {
      const onMessage = (m: EmbedReply) => {
        if (m.type === 'ready' || m.jobId !== jobId) return;
        worker.off('message', onMessage);
        worker.off('error', reject);
        if (m.type === 'done') resolve(m.vectors);
        else reject(toError(m));
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.postMessage({ jobId, texts } satisfies EmbedRequest);
    });
  }

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
        threads.map(async (worker) => {
          while (next < texts.length) {
            const start = next;
            next += batchSize;
            const flat = await runOn(worker, start, texts.slice(start, start + batchSize));
            for (let i = 0; i * dimension < flat.length; i++) out[start + i] = flat.subarray(i * dimension, (i + 1) * dimension);
            done += flat.length / dimension;
            onBatch?.(done);
          }
        }),
      );
      return out;
    },
    async close() {
      await Promise.all(threads.map((w) => w.terminate()));
    },
  };
}

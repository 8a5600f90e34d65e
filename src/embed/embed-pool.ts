import { PaperscopeError, type ErrorCode } from '../errors.ts';
import type { Embedder } from './embedder.ts';
import { createEmbedder, embedsInWorkers, type EmbedderOptions } from './create-embedder.ts';
import type { EmbedReply, EmbedRequest } from './embed-worker.ts';
import { siblingModule, startWorker } from '../worker-thread.ts';

export interface EmbedPool extends Embedder {
  readonly workers: number;
  /** Embeds documents across the workers; results come back in input order. */
  embedDocuments(texts: string[], onBatch?: (done: number) => void): Promise<Float32Array[]>;
  close(): Promise<void>;
}

const WORKER_URL = siblingModule(import.meta.url, 'embed-worker');

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
    embedQuery: (text) => embedder.embedQuery(text),
    close: async () => embedder.dispose?.(),
  };
}

/** Starts `size` embedding threads, each with its own copy of the model (or one in-process model, see embedsInWorkers). */
export async function createEmbedPool(spec: string, options: EmbedderOptions, size: number, batchSize = 16): Promise<EmbedPool> {
  if (!embedsInWorkers(spec)) return inProcessPool(await createEmbedder(spec, options), batchSize);
  const threads = Array.from({ length: size }, () => startWorker(WORKER_URL, { spec, options }));
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

  /** Each thread's jobs awaiting an answer, by job id; one listener per thread routes the replies. */
  const waiting = threads.map(() => new Map<number, { resolve(v: Float32Array): void; reject(e: Error): void }>());
  const dead: (Error | undefined)[] = threads.map(() => undefined);
  threads.forEach((worker, t) => {
    worker.on('message', (m: EmbedReply) => {
      if (m.type === 'ready' || m.jobId === null) return;
      const job = waiting[t].get(m.jobId);
      waiting[t].delete(m.jobId);
      if (m.type === 'done') job?.resolve(m.vectors);
      else job?.reject(toError(m));
    });
    // A thread that dies fails its jobs, and every later one, rather than leaving them hanging.
    const die = (err: Error) => {
      dead[t] ??= err;
      for (const job of waiting[t].values()) job.reject(dead[t]!);
      waiting[t].clear();
    };
    worker.on('error', die);
    worker.on('exit', (code) => die(new Error(`embedding thread exited (code ${code})`)));
  });
  let nextJobId = 0;

  function runOn(t: number, texts: string[], kind: EmbedRequest['kind'] = 'documents'): Promise<Float32Array> {
    const jobId = nextJobId++;
    return new Promise((resolve, reject) => {
      if (dead[t]) return reject(dead[t]);
      waiting[t].set(jobId, { resolve, reject });
      threads[t].postMessage({ jobId, texts, kind } satisfies EmbedRequest);
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
        threads.map(async (_, t) => {
          while (next < texts.length) {
            const start = next;
            next += batchSize;
            const flat = await runOn(t, texts.slice(start, start + batchSize));
            for (let i = 0; i * dimension < flat.length; i++) out[start + i] = flat.subarray(i * dimension, (i + 1) * dimension);
            done += flat.length / dimension;
            onBatch?.(done);
          }
        }),
      );
      return out;
    },
    /** On the least busy thread: the service's queries run beside the event loop, one per core. */
    async embedQuery(text) {
      const loads = waiting.map((jobs, t) => (dead[t] ? Infinity : jobs.size));
      return runOn(loads.indexOf(Math.min(...loads)), [text], 'query');
    },
    async close() {
      await Promise.all(threads.map((w) => w.terminate()));
    },
  };
}

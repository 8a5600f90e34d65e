/**
 * Worker-thread side of the embedding pool: one embedder per thread, so that
 * single-threaded backends (USE-lite's WASM kernels) use every core.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createEmbedder, type EmbedderOptions } from './create-embedder.ts';

export interface EmbedRequest {
  jobId: number;
  texts: string[];
  /** Queries may be embedded differently from documents (prefixes, truncation). */
  kind: 'documents' | 'query';
}
export type EmbedReply =
  | { type: 'ready'; id: string; dimension: number }
  | { type: 'done'; jobId: number; vectors: Float32Array }
  | { type: 'error'; jobId: number | null; message: string; code?: string; details?: unknown };

const { spec, options } = workerData as { spec: string; options: EmbedderOptions };
const port = parentPort!;

function fail(jobId: number | null, err: unknown) {
  const e = err as { message?: string; code?: string; details?: unknown };
  port.postMessage({ type: 'error', jobId, message: e.message ?? String(err), code: e.code, details: e.details } satisfies EmbedReply);
}

try {
  const embedder = await createEmbedder(spec, options);
  // The first call compiles the model's kernels (a few hundred ms): paid here, while the service loads its index, not by the first query.
  await embedder.embedQuery('warm-up');
  port.postMessage({ type: 'ready', id: embedder.id, dimension: embedder.dimension } satisfies EmbedReply);
  port.on('message', async ({ jobId, texts, kind }: EmbedRequest) => {
    try {
      const rows = kind === 'query' ? await Promise.all(texts.map((t) => embedder.embedQuery(t))) : await embedder.embedDocuments(texts);
      // One flat buffer, transferred rather than copied back to the main thread.
      const flat = new Float32Array(rows.length * embedder.dimension);
      rows.forEach((row, i) => flat.set(row, i * embedder.dimension));
      port.postMessage({ type: 'done', jobId, vectors: flat } satisfies EmbedReply, [flat.buffer]);
    } catch (err) {
      fail(jobId, err);
    }
  });
} catch (err) {
  fail(null, err);
}

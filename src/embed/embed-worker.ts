/**
 * Worker-thread side of the embedding pool: one embedder per thread, so that
 * single-threaded backends (USE-lite's WASM kernels) use every core.
 */
import { workerData } from 'node:worker_threads';
import { createEmbedder, type EmbedderOptions } from './create-embedder.ts';
import { serveJobs } from '../worker-jobs.ts';

export interface EmbedRequest {
  texts: string[];
  /** Queries may be embedded differently from documents (prefixes, truncation). */
  kind: 'documents' | 'query';
}
export interface EmbedInfo {
  id: string;
  dimension: number;
}

const { spec, options } = workerData as { spec: string; options: EmbedderOptions };

await serveJobs<EmbedInfo, EmbedRequest, Float32Array>(async () => {
  const embedder = await createEmbedder(spec, options);
  // The first call compiles the model's kernels (a few hundred ms): paid here, while the service loads its index, not by the first query.
  await embedder.embedQuery('warm-up');
  return {
    info: { id: embedder.id, dimension: embedder.dimension },
    async handle({ texts, kind }) {
      const rows = kind === 'query' ? await Promise.all(texts.map((t) => embedder.embedQuery(t))) : await embedder.embedDocuments(texts);
      // One flat buffer, transferred rather than copied back to the main thread.
      const flat = new Float32Array(rows.length * embedder.dimension);
      rows.forEach((row, i) => flat.set(row, i * embedder.dimension));
      return flat;
    },
    transfer: (flat) => [flat.buffer as ArrayBuffer],
  };
});

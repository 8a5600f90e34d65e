/**
 * Worker-thread side of the embedding pool: one embedder per thread, so that
 * single-threaded backends (USE-lite's WASM kernels) use every core.
 */
import { loadThreadEmbedder } from './create-embedder.ts';
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

await serveJobs<EmbedInfo, EmbedRequest, Float32Array>(async () => {
  const embedder = await loadThreadEmbedder();
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

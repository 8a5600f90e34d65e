/**
 * The embedding interface. Every backend turns texts into unit-length float32
 * vectors of a fixed dimension; `id` names the model so that an index records
 * which model built it and the service can refuse a mismatch.
 */
export interface Embedder {
  /** Stable model identifier stored in the index manifest, e.g. "use-lite". */
  readonly id: string;
  readonly dimension: number;
  /** Embeds documents (title + abstract). Output vectors are L2-normalized. */
  embedDocuments(texts: string[]): Promise<Float32Array[]>;
  /** Embeds a search query. Some models prefix queries differently from documents. */
  embedQuery(text: string): Promise<Float32Array>;
  dispose?(): Promise<void>;
}

export function l2normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] /= norm;
  return v;
}

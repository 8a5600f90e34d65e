import { l2normalize } from '../embed/embedder.ts';

/** Weighted sum of vectors, normalized: how reference papers and topics are combined. */
export function combine(parts: { vector: Float32Array; weight: number }[]): Float32Array {
  const out = new Float32Array(parts[0].vector.length);
  for (const { vector, weight } of parts) for (let i = 0; i < out.length; i++) out[i] += weight * vector[i];
  return l2normalize(out);
}

export function mean(vectors: Float32Array[]): Float32Array {
  return combine(vectors.map((vector) => ({ vector, weight: 1 / vectors.length })));
}

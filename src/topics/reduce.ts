import { XSadd } from 'ml-xsadd';

/** Dimensions kept: k-means cost falls eightfold from 512-d while cluster structure survives. */
const COMPONENTS = 64;
/** Below this many papers clustering is cheap at full dimension, and no precision is given away. */
const REDUCE_ABOVE = 1000;

/**
 * Vectors as k-means and UMAP input: for large collections, a seeded random projection
 * (Achlioptas' ±1 matrix, which preserves distances in the Johnson–Lindenstrauss
 * sense). Hand-written because ml-pca took over 30 s on 2,041 × 512 vectors,
 * and a projection is a single matrix product.
 */
export function clusteringInput(vectors: Float32Array[], seed = 42): number[][] {
  const d = vectors[0]?.length ?? 0;
  if (vectors.length <= REDUCE_ABOVE || d <= COMPONENTS) return vectors.map((v) => Array.from(v));
  const rng = new XSadd(seed);
  const scale = 1 / Math.sqrt(COMPONENTS);
  const projection = Float32Array.from({ length: d * COMPONENTS }, () => (rng.random() < 0.5 ? -scale : scale));
  return vectors.map((v) => {
    const out = new Array<number>(COMPONENTS).fill(0);
    for (let i = 0; i < d; i++) {
      const x = v[i];
      const row = i * COMPONENTS;
      for (let j = 0; j < COMPONENTS; j++) out[j] += x * projection[row + j];
    }
    return out;
  });
}

import { UMAP } from 'umap-js';
import { XSadd } from 'ml-xsadd';
import { clusteringInput } from './reduce.ts';

/** UMAP's usual neighbourhood; smaller collections use what they have. */
const NEIGHBOURS = 15;
/** Fewer than umap-js's default 500 epochs: the layout settles well before, and the step is the indexer's slowest. */
const EPOCHS = 200;

/**
 * A 2-D layout of the collection (UMAP over the paper vectors, projected
 * like the k-means input for large collections so that the neighbour search
 * is cheap), scaled to [0, 1] on both axes. Seeded, so that the same papers
 * give the same map.
 */
export function computeMap(vectors: Float32Array[], seed = 42): { x: number; y: number }[] {
  const n = vectors.length;
  if (n < 4) return vectors.map((_, i) => ({ x: n > 1 ? i / (n - 1) : 0.5, y: 0.5 }));
  const umap = new UMAP({ nComponents: 2, nNeighbors: Math.min(NEIGHBOURS, n - 1), minDist: 0.1, nEpochs: EPOCHS, random: new XSadd(seed).random });
  const layout = umap.fit(clusteringInput(vectors, seed));
  const scale = (axis: 0 | 1) => {
    const values = layout.map((p) => p[axis]);
    const min = Math.min(...values);
    const span = Math.max(...values) - min || 1;
    return (v: number) => Math.round(((v - min) / span) * 1e4) / 1e4;
  };
  const [sx, sy] = [scale(0), scale(1)];
  return layout.map(([x, y]) => ({ x: sx(x), y: sy(y) }));
}

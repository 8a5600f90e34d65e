import { UMAP } from 'umap-js';
import { XSadd } from 'ml-xsadd';
import { clusteringInput } from './reduce.ts';
import { sampleIndices } from './sample.ts';
import { annSearch, buildAnnIndex } from '../store/ann-index.ts';

/** UMAP's usual neighbourhood; smaller collections use what they have. */
const NEIGHBOURS = 15;
/** Fewer than umap-js's default 500 epochs: the layout settles well before, and the step is the indexer's slowest. */
const EPOCHS = 200;
/**
 * UMAP is fitted on at most this many papers (about 10 s here; its cost grows
 * faster than linearly); the others are placed among their nearest fitted
 * neighbours, which keeps the step linear on large collections.
 */
const FIT_SAMPLE = 3_000;
/** Fitted neighbours whose positions, weighted by similarity, place a paper outside the sample. */
const PLACE_NEIGHBOURS = 5;

/**
 * Positions of the papers outside the sample: the similarity-weighted mean of
 * their nearest fitted papers' positions (UMAP's own initialisation for new
 * points, without its further optimisation), found with an hnswlib graph over the sample.
 */
function placeRest(input: number[][], sample: number[], fitted: number[][]): number[][] {
  const dimension = input[0].length;
  const graph = buildAnnIndex(sample.map((i) => Float32Array.from(input[i])), dimension, { space: 'cosine', m: 16, efConstruction: 100, efSearch: 32 });
  const layout: number[][] = new Array(input.length);
  sample.forEach((i, s) => (layout[i] = fitted[s]));
  for (let i = 0; i < input.length; i++) {
    if (layout[i]) continue;
    const at = weightedPosition(annSearch(graph, Float32Array.from(input[i]), PLACE_NEIGHBOURS).map(({ label, score }) => ({ x: fitted[label][0], y: fitted[label][1], score })));
    layout[i] = [at.x, at.y];
  }
  return layout;
}

/** The similarity-weighted mean of neighbours' positions (negative similarities count as none); the centre without neighbours. */
export function weightedPosition(neighbours: { x: number; y: number; score: number }[]): { x: number; y: number } {
  let [x, y, total] = [0, 0, 0];
  for (const n of neighbours) {
    const w = Math.max(n.score, 0) + 1e-6;
    x += w * n.x;
    y += w * n.y;
    total += w;
  }
  return total ? { x: x / total, y: y / total } : { x: 0.5, y: 0.5 };
}

/**
 * A 2-D layout of the collection (UMAP over the paper vectors, projected
 * like the k-means input for large collections so that the neighbour search
 * is cheap), scaled to [0, 1] on both axes. Seeded, so that the same papers
 * give the same map.
 */
export function computeMap(vectors: Float32Array[], seed = 42): { x: number; y: number }[] {
  const n = vectors.length;
  if (n < 4) return vectors.map((_, i) => ({ x: n > 1 ? i / (n - 1) : 0.5, y: 0.5 }));
  const input = clusteringInput(vectors, seed);
  const sample = sampleIndices(n, FIT_SAMPLE, seed);
  const umap = new UMAP({ nComponents: 2, nNeighbors: Math.min(NEIGHBOURS, sample.length - 1), minDist: 0.1, nEpochs: EPOCHS, random: new XSadd(seed).random });
  const fitted = umap.fit(sample.map((i) => input[i]));
  const layout = sample.length === n ? fitted : placeRest(input, sample, fitted);
  const scale = (axis: 0 | 1) => {
    let [min, max] = [Infinity, -Infinity];
    for (const p of layout) [min, max] = [Math.min(min, p[axis]), Math.max(max, p[axis])];
    const span = max - min || 1;
    return (v: number) => Math.round(((v - min) / span) * 1e4) / 1e4;
  };
  const [sx, sy] = [scale(0), scale(1)];
  return layout.map(([x, y]) => ({ x: sx(x), y: sy(y) }));
}

import { kmeans } from 'ml-kmeans';
import { cosineDistances, silhouette } from './silhouette.ts';
import { clusteringInput } from './reduce.ts';
import { sampleIndices } from './sample.ts';

export interface Clustering {
  k: number;
  /** Cluster of each vector. */
  assignments: number[];
  /** Unit-length cluster centres, in the space of the input vectors. */
  centroids: Float32Array[];
  /** Mean silhouette (cosine) when k was chosen by it, null when k was given. */
  silhouette: number | null;
}

export interface ClusterOptions {
  /** Fixed number of clusters; when absent k is chosen by silhouette over `kRange`. */
  k?: number;
  kRange?: [number, number];
  seed?: number;
  /** Asked between candidate k values; when it says yes the clustering stops with an error (its client has gone). */
  shouldStop?: () => boolean;
}

/**
 * k-means restarts: the run with the lowest inertia is kept. Small sets are
 * cheap to cluster and the most sensitive to an unlucky start, so they get more.
 */
const restartsFor = (n: number) => (n <= 1000 ? 10 : 3);
/** While choosing k on a sample of a large collection, fewer restarts suffice. */
const SELECTION_RESTARTS = 3;
/**
 * k is chosen on a sample: the silhouette is quadratic in the number of points
 * and k-means for every candidate k would dominate indexing time otherwise.
 */
const SELECTION_SAMPLE = 600;
/**
 * Above this many papers the final k-means is fitted on a seeded sample and
 * every paper joins its nearest centre, so that the topics step grows linearly
 * (one distance per paper and centre) instead of with restarts × iterations.
 */
const FIT_SAMPLE = 5_000;
/** Candidate k values tried; wide ranges are covered by a geometric grid. */
const MAX_CANDIDATES = 8;

/**
 * The range of k around the rule of thumb √(n/2): the silhouette of text
 * embeddings keeps rising as k falls (the coarsest split, e.g. physics versus
 * mathematics, always scores best), so the range must not reach down to 2 for
 * large collections.
 */
export function defaultKRange(n: number): [number, number] {
  const r = Math.sqrt(n / 2);
  // Whole k inside [r/2, 1.5r]: rounding let 41 papers (r/2 = 2.3) fall back to 2 topics, the coarse split this range exists to avoid.
  return [Math.max(2, Math.ceil(r / 2)), Math.max(2, Math.min(40, Math.floor(1.5 * r)))];
}

export function candidateKs(lo: number, hi: number): number[] {
  if (hi - lo + 1 <= MAX_CANDIDATES) return Array.from({ length: Math.max(0, hi - lo + 1) }, (_, i) => lo + i);
  const ratio = (hi / lo) ** (1 / (MAX_CANDIDATES - 1));
  return [...new Set(Array.from({ length: MAX_CANDIDATES }, (_, i) => Math.round(lo * ratio ** i)))];
}

/** Clusters smaller than this are outliers, not topics. */
export function minTopicSize(n: number): number {
  return Math.max(2, Math.round(n / 100));
}

function unit(v: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(v);
  let norm = 0;
  for (const x of out) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < out.length; i++) out[i] /= norm;
  return out;
}

const squaredDistance = (a: number[], b: number[]) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s;
};

interface Run {
  assignments: number[];
  centroids: number[][];
}

/** Best of several seeded k-means runs; vectors are unit length, so Euclidean k-means groups by cosine. */
function bestKmeans(data: number[][], k: number, seed: number, restarts = restartsFor(data.length)): Run {
  let best: (Run & { inertia: number }) | null = null;
  for (let r = 0; r < restarts; r++) {
    const result = kmeans(data, k, { initialization: 'kmeans++', seed: seed + r, maxIterations: 50 });
    const inertia = data.reduce((sum, p, i) => sum + squaredDistance(p, result.centroids[result.clusters[i]]), 0);
    if (!best || inertia < best.inertia) best = { assignments: result.clusters, centroids: result.centroids, inertia };
  }
  return best!;
}

/**
 * k-means on text embeddings isolates odd papers in clusters of one or two,
 * and the silhouette rewards such splits; so tiny clusters are dissolved into
 * their nearest remaining cluster, and ids are compacted.
 */
function dissolveSmall(data: number[][], run: Run, minSize: number): number[] {
  const sizes = new Map<number, number>();
  for (const c of run.assignments) sizes.set(c, (sizes.get(c) ?? 0) + 1);
  let kept = [...sizes.keys()].filter((c) => sizes.get(c)! >= minSize).sort((a, b) => a - b);
  if (!kept.length) kept = [...sizes.keys()].sort((a, b) => sizes.get(b)! - sizes.get(a)!).slice(0, 1);
  const renumber = new Map(kept.map((c, i) => [c, i]));
  return run.assignments.map((c, i) => {
    if (renumber.has(c)) return renumber.get(c)!;
    let best = 0;
    kept.forEach((k, j) => {
      if (squaredDistance(data[i], run.centroids[k]) < squaredDistance(data[i], run.centroids[kept[best]])) best = j;
    });
    return best;
  });
}

function nearestCentre(point: number[], centroids: number[][]): number {
  let best = 0;
  let bestDistance = Infinity;
  centroids.forEach((c, j) => {
    const d = squaredDistance(point, c);
    if (d < bestDistance) [best, bestDistance] = [j, d];
  });
  return best;
}

/** k-means over every point, or fitted on a sample of a large collection with the rest assigned to the nearest centre. */
function fitAll(data: number[][], k: number, seed: number): Run {
  const sample = sampleIndices(data.length, FIT_SAMPLE, seed);
  if (sample.length === data.length) return bestKmeans(data, k, seed);
  const fit = bestKmeans(sample.map((i) => data[i]), k, seed);
  return { assignments: data.map((p) => nearestCentre(p, fit.centroids)), centroids: fit.centroids };
}

const clusterCount = (assignments: number[]) => Math.max(-1, ...assignments) + 1;

/** Unit-length mean of each cluster's vectors, in the original space. */
function centroidsOf(vectors: Float32Array[], assignments: number[], k: number): Float32Array[] {
  const sums = Array.from({ length: k }, () => new Float32Array(vectors[0].length));
  vectors.forEach((v, i) => {
    const sum = sums[assignments[i]];
    for (let t = 0; t < v.length; t++) sum[t] += v[t];
  });
  return sums.map(unit);
}

export function clusterVectors(vectors: Float32Array[], options: ClusterOptions = {}): Clustering {
  const n = vectors.length;
  const seed = options.seed ?? 42;
  if (n < 3) return { k: n ? 1 : 0, assignments: vectors.map(() => 0), centroids: n ? [unit(vectors[0])] : [], silhouette: null };
  const data = clusteringInput(vectors);
  const minSize = minTopicSize(n);
  const finish = (assignments: number[], score: number | null): Clustering => {
    const k = clusterCount(assignments);
    return { k, assignments, centroids: centroidsOf(vectors, assignments, k), silhouette: score };
  };
  if (options.k !== undefined) return finish(dissolveSmall(data, fitAll(data, Math.max(1, Math.min(options.k, n)), seed), minSize), null);

  const [lo, hi] = options.kRange ?? defaultKRange(n);
  const sample = sampleIndices(n, SELECTION_SAMPLE, seed);
  const sampleData = sample.map((i) => data[i]);
  const distances = cosineDistances(sample.map((i) => vectors[i]));
  const restarts = sample.length < n ? SELECTION_RESTARTS : restartsFor(n);
  let best: { k: number; score: number } | null = null;
  for (const k of candidateKs(lo, Math.min(hi, sample.length - 1))) {
    if (options.shouldStop?.()) throw new Error('clustering cancelled');
    const assignments = dissolveSmall(sampleData, bestKmeans(sampleData, k, seed, restarts), minTopicSize(sample.length));
    const found = clusterCount(assignments);
    if (found < 2) continue;
    const score = silhouette(distances, assignments, found);
    if (!best || score > best.score) best = { k, score };
  }
  return finish(dissolveSmall(data, fitAll(data, best?.k ?? lo, seed), minSize), best?.score ?? null);
}

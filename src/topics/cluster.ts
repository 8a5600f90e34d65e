import { kmeans } from 'ml-kmeans';
import { XSadd } from 'ml-xsadd';
import { cosineDistances, silhouette } from './silhouette.ts';

export interface Clustering {
  k: number;
  /** Cluster of each vector. */
  assignments: number[];
  /** Unit-length cluster centres. */
  centroids: Float32Array[];
  /** Mean silhouette (cosine) when k was chosen by it, null when k was given. */
  silhouette: number | null;
}

export interface ClusterOptions {
  /** Fixed number of clusters; when absent k is chosen by silhouette over `kRange`. */
  k?: number;
  kRange?: [number, number];
  seed?: number;
}

/** k-means restarts per k: the run with the lowest inertia is kept. */
const RESTARTS = 4;
/** Silhouette is quadratic in the number of points, so it is measured on a sample. */
const SILHOUETTE_SAMPLE = 1000;

/** The default range grows with the collection: a dozen papers hold a few topics, thousands a few dozen. */
export function defaultKRange(n: number): [number, number] {
  return [2, Math.max(2, Math.min(30, Math.round(Math.sqrt(n / 2))))];
}

function unit(v: ArrayLike<number>): Float32Array {
  const out = Float32Array.from(v);
  let norm = 0;
  for (const x of out) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < out.length; i++) out[i] /= norm;
  return out;
}

function inertia(data: number[][], assignments: number[], centroids: number[][]): number {
  let sum = 0;
  data.forEach((p, i) => {
    const c = centroids[assignments[i]];
    for (let t = 0; t < p.length; t++) sum += (p[t] - c[t]) ** 2;
  });
  return sum;
}

/** Best of several seeded k-means runs; vectors are unit length, so Euclidean k-means groups by cosine. */
function bestKmeans(data: number[][], k: number, seed: number): { assignments: number[]; centroids: number[][] } {
  let best: { assignments: number[]; centroids: number[][]; inertia: number } | null = null;
  for (let r = 0; r < RESTARTS; r++) {
    const result = kmeans(data, k, { initialization: 'kmeans++', seed: seed + r, maxIterations: 100 });
    const e = inertia(data, result.clusters, result.centroids);
    if (!best || e < best.inertia) best = { assignments: result.clusters, centroids: result.centroids, inertia: e };
  }
  return best!;
}

function sampleIndices(n: number, size: number, seed: number): number[] {
  const all = Array.from({ length: n }, (_, i) => i);
  if (n <= size) return all;
  const rng = new XSadd(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.random() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, size).sort((a, b) => a - b);
}

/** Clusters smaller than this are outliers, not topics. */
export function minTopicSize(n: number): number {
  return Math.max(2, Math.round(n / 100));
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/**
 * k-means on text embeddings isolates odd papers in clusters of one or two,
 * and the silhouette rewards such splits; so tiny clusters are dissolved into
 * their nearest remaining cluster, and ids are compacted.
 */
function dissolveSmall(data: number[][], run: { assignments: number[]; centroids: number[][] }, minSize: number) {
  const sizes = new Map<number, number>();
  for (const c of run.assignments) sizes.set(c, (sizes.get(c) ?? 0) + 1);
  let kept = [...sizes.keys()].filter((c) => sizes.get(c)! >= minSize).sort((a, b) => a - b);
  if (!kept.length) kept = [...sizes.keys()].sort((a, b) => sizes.get(b)! - sizes.get(a)!).slice(0, 1);
  const renumber = new Map(kept.map((c, i) => [c, i]));
  const assignments = run.assignments.map((c, i) => {
    if (renumber.has(c)) return renumber.get(c)!;
    let best = 0;
    kept.forEach((k, j) => {
      if (dot(data[i], run.centroids[k]) > dot(data[i], run.centroids[kept[best]])) best = j;
    });
    return best;
  });
  const centroids = kept.map((_, j) => {
    const sum = new Array<number>(data[0].length).fill(0);
    data.forEach((p, i) => {
      if (assignments[i] === j) for (let t = 0; t < p.length; t++) sum[t] += p[t];
    });
    return sum;
  });
  return { assignments, centroids };
}

export function clusterVectors(vectors: Float32Array[], options: ClusterOptions = {}): Clustering {
  const n = vectors.length;
  const seed = options.seed ?? 42;
  if (n < 3) {
    return { k: n ? 1 : 0, assignments: vectors.map(() => 0), centroids: n ? [unit(vectors[0])] : [], silhouette: null };
  }
  const data = vectors.map((v) => Array.from(v));
  const minSize = minTopicSize(n);
  const finish = (run: { assignments: number[]; centroids: number[][] }, score: number | null): Clustering => ({
    k: run.centroids.length,
    assignments: run.assignments,
    centroids: run.centroids.map(unit),
    silhouette: score,
  });
  if (options.k !== undefined) return finish(dissolveSmall(data, bestKmeans(data, Math.max(1, Math.min(options.k, n)), seed), minSize), null);

  const [lo, hi] = options.kRange ?? defaultKRange(n);
  const sample = sampleIndices(n, SILHOUETTE_SAMPLE, seed);
  const distances = cosineDistances(sample.map((i) => vectors[i]));
  let best: { run: { assignments: number[]; centroids: number[][] }; score: number } | null = null;
  for (let k = lo; k <= Math.min(hi, n - 1); k++) {
    const run = dissolveSmall(data, bestKmeans(data, k, seed), minSize);
    if (run.centroids.length < 2) continue;
    const score = silhouette(distances, sample.map((i) => run.assignments[i]), run.centroids.length);
    if (!best || score > best.score) best = { run, score };
  }
  return best ? finish(best.run, best.score) : finish(dissolveSmall(data, bestKmeans(data, lo, seed), minSize), null);
}

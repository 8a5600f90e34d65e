/**
 * Mean silhouette of a clustering under cosine distance (vectors are unit
 * length, so distance = 1 - dot). Written here because the ml-* packages offer
 * no silhouette; the pairwise distances are computed once and shared by every
 * candidate k.
 */
export interface DistanceMatrix {
  size: number;
  at(i: number, j: number): number;
}

export function cosineDistances(vectors: ArrayLike<number>[]): DistanceMatrix {
  const n = vectors.length;
  const d = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    const a = vectors[i];
    for (let j = i + 1; j < n; j++) {
      const b = vectors[j];
      let dot = 0;
      for (let t = 0; t < a.length; t++) dot += a[t] * b[t];
      d[i * n + j] = d[j * n + i] = 1 - dot;
    }
  }
  return { size: n, at: (i, j) => d[i * n + j] };
}

/** Points alone in their cluster score 0, as in the usual definition. */
export function silhouette(distances: DistanceMatrix, assignments: ArrayLike<number>, k: number): number {
  const n = distances.size;
  const sizes = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) sizes[assignments[i]]++;
  const sums = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const own = assignments[i];
    if (sizes[own] < 2) continue;
    sums.fill(0);
    for (let j = 0; j < n; j++) if (j !== i) sums[assignments[j]] += distances.at(i, j);
    const a = sums[own] / (sizes[own] - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c] > 0) b = Math.min(b, sums[c] / sizes[c]);
    if (Number.isFinite(b)) total += (b - a) / Math.max(a, b);
  }
  return n ? total / n : 0;
}

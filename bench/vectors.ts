/**
 * Vectors for the scale benchmarks. Real USE-lite embeddings are too few (a few
 * thousand papers), so larger sets are synthesized from them: each synthetic
 * vector starts at a real paper's vector, moves part of the way towards one of
 * that paper's nearest real neighbours and gets Gaussian noise, then is
 * normalized. Points therefore cluster along the same topics as real papers,
 * which is what makes ANN search hard or easy, unlike uniform random vectors.
 */
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../src/config.ts';
import { currentBuildDir } from '../src/store/build-dir.ts';
import { readManifest } from '../src/store/manifest.ts';
import { readPapersTable } from '../src/store/papers-table.ts';
import { SAMPLE_INPUTS } from '../indexer/readers/index.ts';
import { runIndexer } from '../indexer/pipeline.ts';
import { loadConfig } from '../src/config.ts';
import { XSadd } from 'ml-xsadd';

export const BENCH_CACHE = path.join(REPO_ROOT, '.cache', 'bench');
/** The sample corpus indexed with the default model, reused by every benchmark that needs real vectors. */
export const SAMPLE_INDEX_DIR = path.join(BENCH_CACHE, 'sample-index');

/** Row-major vectors in one buffer: row i is data[i*dim, (i+1)*dim). */
export interface VectorSet {
  n: number;
  dim: number;
  data: Float32Array;
}

export function row(set: VectorSet, i: number): Float32Array {
  return set.data.subarray(i * set.dim, (i + 1) * set.dim);
}

/** Real document vectors of an index folder, building the sample index first when it is missing. */
export async function realVectors(indexDir = SAMPLE_INDEX_DIR): Promise<VectorSet & { model: string }> {
  if (!(await currentBuildDir(indexDir))) {
    if (indexDir !== SAMPLE_INDEX_DIR) throw new Error(`no index in ${indexDir}`);
    console.error(`building the sample index in ${indexDir} (USE-lite, 2 workers) ...`);
    const config = loadConfig();
    await runIndexer({ inputs: SAMPLE_INPUTS, indexDir, model: config.model, modelsDir: config.modelsDir, allowRemote: false, prune: true, workers: 2 });
  }
  const dir = (await currentBuildDir(indexDir))!;
  const manifest = await readManifest(dir);
  const rows = await readPapersTable(dir);
  const data = new Float32Array(rows.length * manifest.dimension);
  rows.forEach((r, i) => data.set(r.vector, i * manifest.dimension));
  return { n: rows.length, dim: manifest.dimension, data, model: manifest.model };
}

/** Concatenates vector sets of one dimension. */
export function concatSets(sets: VectorSet[]): VectorSet {
  const dim = sets[0].dim;
  const n = sets.reduce((s, v) => s + v.n, 0);
  const data = new Float32Array(n * dim);
  let offset = 0;
  for (const s of sets) {
    data.set(s.data, offset);
    offset += s.data.length;
  }
  return { n, dim, data };
}

function gaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export function dot(a: Float32Array, b: Float32Array, dim: number, bOffset = 0): number {
  let s = 0;
  for (let i = 0; i < dim; i++) s += a[i] * b[bOffset + i];
  return s;
}

/** The k nearest other rows of each row (exact, by inner product of unit vectors). */
function nearestNeighbours(base: VectorSet, k: number): Int32Array {
  const out = new Int32Array(base.n * k);
  const scores = new Float32Array(base.n);
  for (let i = 0; i < base.n; i++) {
    const v = row(base, i);
    for (let j = 0; j < base.n; j++) scores[j] = j === i ? -Infinity : dot(v, base.data, base.dim, j * base.dim);
    const order = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a]);
    out.set(order.slice(0, k), i * k);
  }
  return out;
}

export interface SynthesisParams {
  /** Norm of the added noise, relative to the unit-length real vector. */
  noise: number;
  /** A synthetic vector lies up to this fraction of the way towards a real neighbour. */
  maxBlend: number;
  neighbours: number;
  seed: number;
}

export const DEFAULT_SYNTHESIS: SynthesisParams = { noise: 0.3, maxBlend: 0.5, neighbours: 10, seed: 1 };

export interface Synthesizer {
  params: SynthesisParams;
  /** n unit vectors; different seeds give disjoint draws (e.g. corpus vs queries). */
  generate(n: number, seed: number): VectorSet;
}

export function synthesizer(base: VectorSet, params: SynthesisParams = DEFAULT_SYNTHESIS): Synthesizer {
  const { dim } = base;
  const neighbours = nearestNeighbours(base, params.neighbours);
  return {
    params,
    generate(n, seed) {
      // Seeded, so that every run synthesizes the same vectors.
      const xsadd = new XSadd(seed);
      const random = () => xsadd.random();
      const normal = gaussian(random);
      const sigma = params.noise / Math.sqrt(dim);
      const data = new Float32Array(n * dim);
      for (let r = 0; r < n; r++) {
        const i = Math.floor(random() * base.n);
        const j = neighbours[i * params.neighbours + Math.floor(random() * params.neighbours)];
        const t = random() * params.maxBlend;
        const o = r * dim;
        let norm = 0;
        for (let x = 0; x < dim; x++) {
          const value = (1 - t) * base.data[i * dim + x] + t * base.data[j * dim + x] + sigma * normal();
          data[o + x] = value;
          norm += value * value;
        }
        norm = Math.sqrt(norm);
        for (let x = 0; x < dim; x++) data[o + x] /= norm;
      }
      return { n, dim, data };
    },
  };
}

/** Where cached synthesized or embedded vectors live; raw float32 little-endian. */
export function cachePath(name: string): string {
  return path.join(BENCH_CACHE, `${name}.f32`);
}

export function saveVectors(name: string, set: VectorSet): void {
  fs.mkdirSync(BENCH_CACHE, { recursive: true });
  fs.writeFileSync(cachePath(name), new Uint8Array(set.data.buffer, set.data.byteOffset, set.data.byteLength));
}

export function loadVectors(name: string, dim: number): VectorSet | null {
  const file = cachePath(name);
  if (!fs.existsSync(file)) return null;
  const bytes = fs.readFileSync(file);
  const data = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  return { n: data.length / dim, dim, data };
}

/** The benchmark corpus of n synthetic paper vectors, cached under .cache/bench (the same for every benchmark). */
export async function syntheticCorpus(n: number): Promise<{ corpus: VectorSet; description: string }> {
  const real = await realVectors();
  const p = DEFAULT_SYNTHESIS;
  const description =
    `synthesized from ${real.n} real ${real.model} embeddings of the sample corpus: each vector is a real paper's vector moved up to ` +
    `${p.maxBlend} of the way towards one of its ${p.neighbours} nearest real neighbours, plus Gaussian noise of norm ${p.noise}, normalized; ` +
    'queries are drawn the same way with another seed';
  const name = `synthetic-${n}-seed${p.seed}`;
  let corpus = loadVectors(name, real.dim);
  if (!corpus) {
    corpus = synthesizer(real).generate(n, p.seed);
    saveVectors(name, corpus);
  }
  return { corpus, description };
}

export async function syntheticQueries(count: number): Promise<VectorSet> {
  const real = await realVectors();
  const name = `synthetic-queries-${count}`;
  let queries = loadVectors(name, real.dim);
  if (!queries) {
    queries = synthesizer(real).generate(count, DEFAULT_SYNTHESIS.seed + 1_000_003);
    saveVectors(name, queries);
  }
  return queries;
}

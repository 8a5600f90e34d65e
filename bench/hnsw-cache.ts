/**
 * hnswlib graphs of the synthetic corpora, kept under .cache/bench with the
 * build time measured when they were built: a 1M graph takes long to build on
 * two cores, and both the ANN and the start-up benchmarks need it.
 */
import fs from 'node:fs';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { buildAnnIndex, type AnnIndex } from '../src/store/ann-index.ts';
import type { AnnParams } from '../src/store/manifest.ts';
import { BENCH_CACHE, row, type VectorSet } from './vectors.ts';
import { round, timeIt } from './stats.ts';

export function hnswCacheFile(n: number, params: AnnParams): string {
  return path.join(BENCH_CACHE, `hnsw-${n}-m${params.m}-efc${params.efConstruction}.bin`);
}

export async function cachedHnsw(corpus: VectorSet, params: AnnParams): Promise<{ index: AnnIndex; buildS: number; file: string }> {
  const file = hnswCacheFile(corpus.n, params);
  const meta = `${file}.json`;
  if (fs.existsSync(file) && fs.existsSync(meta)) {
    const index = new hnswlib.HierarchicalNSW(params.space, corpus.dim);
    await index.readIndex(file);
    index.setEf(params.efSearch);
    return { index, buildS: JSON.parse(fs.readFileSync(meta, 'utf8')).build_s, file };
  }
  const vectors = Array.from({ length: corpus.n }, (_, i) => row(corpus, i));
  const { value: index, ms } = await timeIt(() => buildAnnIndex(vectors, corpus.dim, params));
  await index.writeIndex(file);
  const buildS = round(ms / 1000, 2);
  fs.writeFileSync(meta, JSON.stringify({ build_s: buildS, n: corpus.n, params }));
  return { index, buildS, file };
}

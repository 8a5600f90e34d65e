import hnswlib from 'hnswlib-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { AnnParams } from './manifest.ts';
import { siblingModule, startWorker } from '../worker-thread.ts';

const { HierarchicalNSW } = hnswlib;
export type AnnIndex = InstanceType<typeof HierarchicalNSW>;

const ANN_FILE = 'ann.hnsw';
/** The paper id of each label, in label order: the map from the graph back to the papers. */
const LABELS_FILE = 'ann-labels.json';

export const DEFAULT_ANN_PARAMS: AnnParams = { space: 'cosine', m: 16, efConstruction: 200, efSearch: 128 };

/** Builds the hnswlib graph; label i is row i of the papers table. */
export function buildAnnIndex(vectors: Float32Array[], dimension: number, params: AnnParams = DEFAULT_ANN_PARAMS): AnnIndex {
  const index = new HierarchicalNSW(params.space, dimension);
  index.initIndex({ maxElements: Math.max(1, vectors.length), m: params.m, efConstruction: params.efConstruction, randomSeed: 42 });
  vectors.forEach((v, label) => index.addPoint(Array.from(v), label));
  index.setEf(params.efSearch);
  return index;
}

const BUILD_WORKER = siblingModule(import.meta.url, 'ann-build-worker');

/**
 * Fewer vectors than this are built on the calling thread: starting a thread costs more than such a build
 * (measured, 512-d: 141 vectors in 20 ms, 300 in 55 ms; a thread's start 0.1 CPU-s compiled, 0.5 under tsx).
 */
export const ANN_THREAD_FROM = 256;

/**
 * Builds the graph on a worker thread and saves it into `buildDir`, so that the
 * calling thread stays free: the indexer computes its other steps meanwhile
 * (the graph is the slowest step on large collections), and a server indexing
 * in the background keeps answering. The vectors are copied once into shared memory.
 * A small collection (below ANN_THREAD_FROM) is built in place.
 */
export async function buildAnnIndexInWorker(buildDir: string, vectors: Float32Array[], dimension: number, ids: string[], params: AnnParams = DEFAULT_ANN_PARAMS): Promise<void> {
  if (vectors.length < ANN_THREAD_FROM) return saveAnnIndex(buildDir, buildAnnIndex(vectors, dimension, params), ids);
  const shared = new Float32Array(new SharedArrayBuffer(vectors.length * dimension * Float32Array.BYTES_PER_ELEMENT));
  vectors.forEach((v, i) => shared.set(v, i * dimension));
  const worker = startWorker(BUILD_WORKER, { buildDir, vectors: shared, dimension, ids, params });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the hnswlib build thread exited (code ${code}) before finishing`)));
  });
  await worker.terminate();
}

export async function saveAnnIndex(buildDir: string, index: AnnIndex, ids: string[]): Promise<void> {
  await index.writeIndex(path.join(buildDir, ANN_FILE));
  await fs.writeFile(path.join(buildDir, LABELS_FILE), JSON.stringify(ids));
}

export async function readAnnLabels(buildDir: string): Promise<string[]> {
  return JSON.parse(await fs.readFile(path.join(buildDir, LABELS_FILE), 'utf8'));
}

export async function loadAnnIndex(buildDir: string, dimension: number, params: AnnParams): Promise<AnnIndex> {
  const index = new HierarchicalNSW(params.space, dimension);
  await index.readIndex(path.join(buildDir, ANN_FILE));
  index.setEf(params.efSearch);
  return index;
}

/** k nearest labels with cosine similarity (hnswlib reports distance = 1 - cosine). */
export function annSearch(index: AnnIndex, query: Float32Array, k: number, filter?: (label: number) => boolean): { label: number; score: number }[] {
  const n = Math.min(k, index.getCurrentCount());
  if (n === 0) return [];
  if (index.getEf() < n) index.setEf(n);
  const { neighbors, distances } = index.searchKnn(Array.from(query), n, filter);
  return neighbors.map((label, i) => ({ label, score: 1 - distances[i] }));
}

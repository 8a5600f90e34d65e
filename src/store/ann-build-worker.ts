/**
 * Worker-thread side of buildAnnIndexInWorker: builds the hnswlib graph over
 * the shared vectors and writes it into the build folder.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildAnnIndex, saveAnnIndex } from './ann-index.ts';
import type { AnnParams } from './manifest.ts';

const { buildDir, vectors, dimension, ids, params } = workerData as { buildDir: string; vectors: Float32Array; dimension: number; ids: string[]; params: AnnParams };
const rows = ids.map((_, i) => vectors.subarray(i * dimension, (i + 1) * dimension));
await saveAnnIndex(buildDir, buildAnnIndex(rows, dimension, params), ids);
parentPort!.postMessage('done');

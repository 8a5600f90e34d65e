import fs from 'node:fs';
import path from 'node:path';
import { PaperscopeError } from '../errors.ts';

/**
 * Each paper's vector, row-major float32, read back one row per positioned
 * read. The hnswlib graph holds the same vectors, but its getPoint costs
 * 60–150 µs a call, and search fusion needs the cosine of every keyword
 * candidate (~200 per query); a read from the page cache costs a few µs, and
 * the file adds nothing to the service's memory.
 */
export const VECTOR_FILE = 'vectors.f32';

export interface VectorSource {
  get(label: number): Float32Array;
  /** Frees what the source holds open (a file descriptor); a live swap retires builds while the process runs. */
  close(): void;
}

/** Rows written a block at a time: a million 512-d rows would be a 2 GB buffer at once. */
const ROWS_PER_WRITE = 4096;

export async function saveVectorFile(buildDir: string, vectors: Float32Array[], dimension: number): Promise<void> {
  const handle = await fs.promises.open(path.join(buildDir, VECTOR_FILE), 'w');
  try {
    for (let start = 0; start < vectors.length; start += ROWS_PER_WRITE) {
      const rows = vectors.slice(start, start + ROWS_PER_WRITE);
      const block = new Float32Array(rows.length * dimension);
      rows.forEach((v, i) => block.set(v, i * dimension));
      await handle.write(new Uint8Array(block.buffer));
    }
  } finally {
    await handle.close();
  }
}

/** Opens a build's vector file; its descriptor stays open until `close()`. */
export function openVectorFile(buildDir: string, dimension: number, count: number): VectorSource {
  const file = path.join(buildDir, VECTOR_FILE);
  const rowBytes = dimension * 4;
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new PaperscopeError('INDEX_CORRUPT', `${buildDir} has no vector file; re-run the indexer`, { buildDir });
    throw err;
  }
  if (fs.fstatSync(fd).size !== count * rowBytes) {
    fs.closeSync(fd);
    throw new PaperscopeError('INDEX_CORRUPT', `The vector file in ${buildDir} does not hold ${count} vectors of ${dimension} dimensions; re-run the indexer`, { buildDir });
  }
  return {
    get(label) {
      const row = new Float32Array(dimension);
      if (fs.readSync(fd, new Uint8Array(row.buffer), 0, rowBytes, label * rowBytes) !== rowBytes) {
        throw new PaperscopeError('INDEX_CORRUPT', `${file} is shorter than ${count} vectors (changed while being served)`, { buildDir, file: VECTOR_FILE });
      }
      return row;
    },
    close: () => fs.closeSync(fd),
  };
}

export function memoryVectors(vectors: Float32Array[]): VectorSource {
  return { get: (label) => vectors[label], close: () => {} };
}

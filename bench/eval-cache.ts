import fs from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../src/config.ts';

/**
 * Embeddings kept between evaluation runs, keyed by model id and the hash of
 * the embedded text: embedding SciFact with USE-lite takes minutes, ranking it
 * takes seconds. One pair of files per model under `.cache/eval-embeddings/`
 * (git-ignored): the hashes as JSON and the vectors as raw float32.
 */
export interface EmbeddingCache {
  get(hash: string): Float32Array | undefined;
  set(hash: string, vector: Float32Array): void;
  /** Writes the cache when something was added. */
  save(): Promise<void>;
}

export const EVAL_CACHE_DIR = path.join(REPO_ROOT, '.cache', 'eval-embeddings');

function files(model: string, dir: string) {
  const base = path.join(dir, model.replace(/[^\w.-]+/g, '_'));
  return { keys: `${base}.keys.json`, vectors: `${base}.f32` };
}

export async function openEmbeddingCache(model: string, dir = EVAL_CACHE_DIR): Promise<EmbeddingCache> {
  const { keys, vectors } = files(model, dir);
  const entries = new Map<string, Float32Array>();
  try {
    const hashes: string[] = JSON.parse(await fs.readFile(keys, 'utf8'));
    const bytes = await fs.readFile(vectors);
    const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    const dimension = all.length / Math.max(1, hashes.length);
    // Files that disagree (an interrupted save) are ignored: the cache refills itself.
    if (Number.isInteger(dimension)) hashes.forEach((h, i) => entries.set(h, all.subarray(i * dimension, (i + 1) * dimension)));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  let dirty = false;
  return {
    get: (hash) => entries.get(hash),
    set(hash, vector) {
      entries.set(hash, vector);
      dirty = true;
    },
    async save() {
      if (!dirty) return;
      await fs.mkdir(dir, { recursive: true });
      const hashes = [...entries.keys()];
      const dimension = entries.get(hashes[0])!.length;
      const all = new Float32Array(hashes.length * dimension);
      hashes.forEach((h, i) => all.set(entries.get(h)!, i * dimension));
      // Temporary names and renames: an interrupted save never leaves a half-written file to be read next time.
      await fs.writeFile(`${vectors}.tmp`, new Uint8Array(all.buffer));
      await fs.writeFile(`${keys}.tmp`, JSON.stringify(hashes));
      await fs.rename(`${vectors}.tmp`, vectors);
      await fs.rename(`${keys}.tmp`, keys);
      dirty = false;
    },
  };
}

import fs from 'node:fs/promises';
import { aligned } from './aligned.ts';

/**
 * Finds papers by a string key (id, name key, arXiv id) without a Map of every
 * key: a Map over a million ids took seconds to build at each start-up. The
 * indexer sorts (hash, label) pairs once and stores them; a lookup is a binary
 * search for the key's hash, then a check of the few labels found against the
 * keys they really have, so a hash collision never returns a wrong paper.
 */
export interface KeyIndex {
  /** Every label whose keys include `key`, in label order. */
  lookup(key: string): number[];
}

/** FNV-1a over UTF-16 code units: fast in JavaScript and well spread for short keys. */
export function hashKey(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export interface KeyTable {
  hashes: Uint32Array;
  labels: Int32Array;
}

/** The sorted (hash, label) pairs of every key of every label. */
export function buildKeyTable(size: number, keysOf: (label: number) => string[]): KeyTable {
  const pairs: bigint[] = [];
  for (let label = 0; label < size; label++) {
    for (const key of new Set(keysOf(label))) pairs.push((BigInt(hashKey(key)) << 32n) | BigInt(label));
  }
  // One native numeric sort of packed pairs: hash first, then label.
  const packed = BigUint64Array.from(pairs).sort();
  const hashes = new Uint32Array(packed.length);
  const labels = new Int32Array(packed.length);
  packed.forEach((p, i) => {
    hashes[i] = Number(p >> 32n);
    labels[i] = Number(p & 0xffffffffn);
  });
  return { hashes, labels };
}

export function keyIndex(table: KeyTable, keysOf: (label: number) => string[]): KeyIndex {
  const { hashes, labels } = table;
  return {
    lookup(key) {
      const h = hashKey(key);
      let lo = 0;
      let hi = hashes.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (hashes[mid] < h) lo = mid + 1;
        else hi = mid;
      }
      const found: number[] = [];
      for (let i = lo; i < hashes.length && hashes[i] === h; i++) if (keysOf(labels[i]).includes(key)) found.push(labels[i]);
      return found;
    },
  };
}

export async function saveKeyTable(file: string, table: KeyTable): Promise<void> {
  await fs.writeFile(file, Buffer.concat([Buffer.from(Uint32Array.of(table.hashes.length).buffer), Buffer.from(table.hashes.buffer), Buffer.from(table.labels.buffer)]));
}

export async function loadKeyTable(file: string): Promise<KeyTable> {
  const bytes = await fs.readFile(file);
  const buffer = aligned(bytes);
  const n = new Uint32Array(buffer.buffer, buffer.byteOffset, 1)[0];
  return {
    hashes: new Uint32Array(buffer.buffer, buffer.byteOffset + 4, n),
    labels: new Int32Array(buffer.buffer, buffer.byteOffset + 4 + 4 * n, n),
  };
}

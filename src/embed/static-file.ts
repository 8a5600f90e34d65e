import { createHash } from 'node:crypto';
import { PaperscopeError } from '../errors.ts';

/**
 * The binary file of a static embedding model: one vector per tokenizer piece,
 * int8-quantised with one float32 scale per row (a 256-d table of 8,000 pieces
 * is 2 MB, and quantisation moves a document vector by far less than the gap
 * between neighbours). Layout, little-endian:
 *
 *   magic "PSSTATIC" (8 bytes) · u32 format version · u32 rows · u32 dimension · u32 reserved (0)
 *   float32 scale[rows] · int8 values[rows × dimension]
 */
const MAGIC = 'PSSTATIC';
const VERSION = 1;
const HEADER_BYTES = 24;

export interface StaticTable {
  rows: number;
  dimension: number;
  /** Row i's value j is values[i * dimension + j] * scales[i]. */
  scales: Float32Array;
  values: Int8Array;
}

/** Quantises each row symmetrically: its largest magnitude becomes ±127. */
export function quantize(vectors: Float32Array[]): StaticTable {
  const rows = vectors.length;
  const dimension = vectors[0]?.length ?? 0;
  const scales = new Float32Array(rows);
  const values = new Int8Array(rows * dimension);
  vectors.forEach((v, i) => {
    let max = 0;
    for (const x of v) max = Math.max(max, Math.abs(x));
    // The scale is stored as float32, and rounding uses the stored value so that dequantising is exact to it.
    const scale = (scales[i] = max / 127);
    if (scale === 0) return;
    for (let j = 0; j < dimension; j++) values[i * dimension + j] = Math.round(v[j] / scales[i]);
  });
  return { rows, dimension, scales, values };
}

export function encodeStaticTable(table: StaticTable): Buffer {
  const out = Buffer.alloc(HEADER_BYTES + table.rows * 4 + table.values.length);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(VERSION, 8);
  out.writeUInt32LE(table.rows, 12);
  out.writeUInt32LE(table.dimension, 16);
  Buffer.from(table.scales.buffer, table.scales.byteOffset, table.scales.byteLength).copy(out, HEADER_BYTES);
  Buffer.from(table.values.buffer, table.values.byteOffset, table.values.byteLength).copy(out, HEADER_BYTES + table.rows * 4);
  return out;
}

/** Reads a table, refusing a file that is not one (e.g. a Git LFS pointer) or is cut short. */
export function decodeStaticTable(bytes: Buffer, file: string): StaticTable {
  const bad = (why: string) => new PaperscopeError('MODEL_NOT_FOUND', `${file} is not a usable static model file: ${why}`, { file });
  if (bytes.length < HEADER_BYTES || bytes.toString('latin1', 0, 8) !== MAGIC) throw bad('wrong magic bytes');
  const version = bytes.readUInt32LE(8);
  if (version !== VERSION) throw bad(`format version ${version}, expected ${VERSION}`);
  const rows = bytes.readUInt32LE(12);
  const dimension = bytes.readUInt32LE(16);
  if (bytes.length !== HEADER_BYTES + rows * 4 + rows * dimension) throw bad(`${bytes.length} bytes, expected ${HEADER_BYTES + rows * (4 + dimension)} for ${rows} × ${dimension}`);
  // Copies, so that the typed arrays are aligned whatever the Buffer's offset in its pool.
  const scales = new Float32Array(rows);
  Buffer.from(scales.buffer).set(bytes.subarray(HEADER_BYTES, HEADER_BYTES + rows * 4));
  const values = new Int8Array(rows * dimension);
  Buffer.from(values.buffer).set(bytes.subarray(HEADER_BYTES + rows * 4));
  return { rows, dimension, scales, values };
}

export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

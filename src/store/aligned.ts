/**
 * Bytes read from a file, placed so that typed arrays can view them: a view
 * needs its element size's alignment, and a small Buffer may sit at any offset
 * of Node's shared pool (a large one owns its memory from offset 0, and is
 * returned as it is, without a copy).
 */
export function aligned(bytes: Buffer, alignment = 8): Buffer {
  return bytes.byteOffset % alignment === 0 ? bytes : Buffer.from(Uint8Array.from(bytes).buffer);
}

import fs from 'node:fs/promises';
import path from 'node:path';
import type { SpellingData } from '../text/spelling.ts';
import { loadKeyTable, saveKeyTable } from './key-index.ts';
import { readStringColumn, writeStringColumn } from './string-column.ts';
import { aligned } from './aligned.ts';

/** The spelling index of a build (text/spelling.ts): its words, their document counts and the deletion-key table. */
const FILES = { words: 'spelling-words.col', df: 'spelling-df.u32', keys: 'spelling.keys' };

export async function saveSpelling(buildDir: string, data: SpellingData): Promise<void> {
  await writeStringColumn(path.join(buildDir, FILES.words), data.words);
  await fs.writeFile(path.join(buildDir, FILES.df), new Uint8Array(data.df.buffer, data.df.byteOffset, data.df.byteLength));
  await saveKeyTable(path.join(buildDir, FILES.keys), data.keys);
}

/** Null for a build made before spelling correction existed: it is served without correction. */
export async function loadSpelling(buildDir: string): Promise<SpellingData | null> {
  const file = (name: keyof typeof FILES) => path.join(buildDir, FILES[name]);
  try {
    await fs.access(file('keys'));
  } catch {
    return null;
  }
  const [column, dfBytes, keys] = await Promise.all([readStringColumn(file('words')), fs.readFile(file('df')), loadKeyTable(file('keys'))]);
  const bytes = aligned(dfBytes);
  const words = Array.from({ length: column.size }, (_, i) => column.get(i));
  return { words, df: new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4), keys };
}

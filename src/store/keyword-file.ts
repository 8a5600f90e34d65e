import fs from 'node:fs/promises';
import path from 'node:path';
import type { KeywordPostings } from '../search/keyword-index.ts';
import { aligned } from './aligned.ts';

/**
 * The BM25 postings of a build: the terms and parameters as JSON, the four
 * typed arrays back to back in one binary file, read without re-tokenizing.
 */
const META_FILE = 'keyword.json';
const DATA_FILE = 'keyword.bin';

export async function saveKeywordPostings(buildDir: string, data: KeywordPostings): Promise<void> {
  const meta = { params: data.params, terms: data.terms, postings: data.docs.length, documents: data.lengths.length };
  await fs.writeFile(path.join(buildDir, META_FILE), JSON.stringify(meta));
  const arrays = [data.offsets, data.docs, data.tfs, data.lengths];
  await fs.writeFile(path.join(buildDir, DATA_FILE), Buffer.concat(arrays.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))));
}

export async function loadKeywordPostings(buildDir: string): Promise<KeywordPostings> {
  const meta = JSON.parse(await fs.readFile(path.join(buildDir, META_FILE), 'utf8'));
  const bytes = await fs.readFile(path.join(buildDir, DATA_FILE));
  const data = aligned(bytes);
  const buffer = data.buffer;
  let at = data.byteOffset;
  const take = <T>(make: (b: ArrayBufferLike, offset: number, length: number) => T, length: number): T => {
    const view = make(buffer, at, length);
    at += length * 4;
    return view;
  };
  const offsets = take((b, o, l) => new Uint32Array(b, o, l), meta.terms.length + 1);
  const docs = take((b, o, l) => new Int32Array(b, o, l), meta.postings);
  const tfs = take((b, o, l) => new Float32Array(b, o, l), meta.postings);
  const lengths = take((b, o, l) => new Float32Array(b, o, l), meta.documents);
  return { params: meta.params, terms: meta.terms, offsets, docs, tfs, lengths };
}

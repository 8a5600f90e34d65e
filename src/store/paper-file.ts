import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import readline from 'node:readline';
import type { StoredPaper } from '../types.ts';
import type { PaperStore } from './paper-store.ts';
import { paperNameKeys } from '../search/paper-names.ts';
import { arxivIdOf } from '../text/arxiv-id.ts';
import { PaperscopeError } from '../errors.ts';

/**
 * The papers of a build as the service reads them, written by the indexer next
 * to the LanceDB table (the store of record, which the indexer reads back for
 * incremental runs). Decoding every row of the table into objects at start-up
 * took 4.5 s per 100k papers and kept every abstract on the V8 heap; here only
 * ids, titles, years and name keys are read at start-up, and a whole record is
 * one positioned read of its JSON when a result needs it.
 *
 * - `papers.bin`: the records as UTF-8 JSON, back to back;
 * - `papers.offsets`: n + 1 byte offsets into it (float64: exact beyond 4 GB);
 * - `papers-heads.jsonl`: one line per chunk of papers with their ids, titles,
 *   years, name keys and arXiv ids (chunked: one JSON string of a million titles would
 *   approach V8's string length limit).
 */
const RECORDS = 'papers.bin';
const OFFSETS = 'papers.offsets';
const HEADS = 'papers-heads.jsonl';
const HEAD_CHUNK = 50_000;

interface HeadChunk {
  ids: string[];
  titles: string[];
  years: (number | null)[];
  names: string[][];
  arxiv: (string | null)[];
}

export async function savePaperFile(buildDir: string, papers: StoredPaper[]): Promise<void> {
  const offsets = new Float64Array(papers.length + 1);
  const records = fs.createWriteStream(path.join(buildDir, RECORDS));
  let at = 0;
  for (let label = 0; label < papers.length; label++) {
    const bytes = Buffer.from(JSON.stringify(papers[label]));
    at += bytes.length;
    offsets[label + 1] = at;
    if (!records.write(bytes)) await new Promise<void>((resolve) => records.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => records.end((err?: Error | null) => (err ? reject(err) : resolve())));
  await fsp.writeFile(path.join(buildDir, OFFSETS), new Uint8Array(offsets.buffer));
  const lines: string[] = [];
  for (let start = 0; start < papers.length; start += HEAD_CHUNK) {
    const chunk = papers.slice(start, start + HEAD_CHUNK);
    const head: HeadChunk = {
      ids: chunk.map((p) => p.id),
      titles: chunk.map((p) => p.title),
      years: chunk.map((p) => p.year),
      names: chunk.map((p) => paperNameKeys(p.title)),
      arxiv: chunk.map((p) => arxivIdOf(p)),
    };
    lines.push(JSON.stringify(head));
  }
  await fsp.writeFile(path.join(buildDir, HEADS), lines.join('\n') + '\n');
}

/** Opens a build's paper file; its descriptor stays open for the life of the process. */
export async function openPaperFile(buildDir: string): Promise<PaperStore> {
  const file = path.join(buildDir, RECORDS);
  const missing = (err: unknown) => {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new PaperscopeError('INDEX_CORRUPT', `${buildDir} has no paper file; re-run the indexer`, { buildDir });
    throw err;
  };
  const offsetBytes = await fsp.readFile(path.join(buildDir, OFFSETS)).catch(missing);
  // A copy with its own aligned buffer: a Buffer may sit at any byte offset of a shared pool.
  const offsets = new Float64Array(Uint8Array.from(offsetBytes).buffer);
  const ids: string[] = [];
  const titles: string[] = [];
  const years: (number | null)[] = [];
  const names: string[][] = [];
  const arxiv: (string | null)[] = [];
  const lines = readline.createInterface({ input: fs.createReadStream(path.join(buildDir, HEADS)), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line) continue;
    const head = JSON.parse(line) as HeadChunk;
    for (let i = 0; i < head.ids.length; i++) {
      ids.push(head.ids[i]);
      titles.push(head.titles[i]);
      years.push(head.years[i]);
      names.push(head.names[i]);
      arxiv.push(head.arxiv[i]);
    }
  }
  if (ids.length !== offsets.length - 1) {
    throw new PaperscopeError('INDEX_CORRUPT', `The paper file in ${buildDir} lists ${ids.length} papers but has ${offsets.length - 1} records; re-run the indexer`, { buildDir });
  }
  const fd = fs.openSync(file, 'r');
  return {
    size: ids.length,
    id: (label) => ids[label],
    title: (label) => titles[label],
    year: (label) => years[label],
    nameKeys: (label) => names[label],
    arxivId: (label) => arxiv[label],
    get(label) {
      const start = offsets[label];
      const bytes = Buffer.allocUnsafe(offsets[label + 1] - start);
      fs.readSync(fd, bytes, 0, bytes.length, start);
      return JSON.parse(bytes.toString('utf8')) as StoredPaper;
    },
  };
}

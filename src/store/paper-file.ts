import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { StoredPaper } from '../types.ts';
import { keysOf, memoryFields, type PaperStore } from './paper-store.ts';
import { readStringColumn, writeStringColumn } from './string-column.ts';
import { buildKeyTable, keyIndex, loadKeyTable, saveKeyTable } from './key-index.ts';
import { PaperscopeError } from '../errors.ts';
import { aligned } from './aligned.ts';

/**
 * The papers of a build as the service reads them, written by the indexer next
 * to the LanceDB table (the store of record, which the indexer reads back for
 * incremental runs). Decoding every row of the table into objects at start-up
 * took 4.5 s per 100k papers and kept every abstract on the V8 heap; here the
 * service reads a few binary columns (ids, titles, years, name keys, arXiv
 * ids) and a whole record is one positioned read of its JSON when a result
 * needs it.
 */
const FILES = {
  records: 'papers.bin',
  /** n + 1 byte offsets into the records, float64: exact beyond 4 GiB. */
  offsets: 'papers.offsets',
  ids: 'papers-ids.col',
  titles: 'papers-titles.col',
  /** A paper's name keys joined by newlines, which a key never holds. */
  names: 'papers-names.col',
  /** Empty where the paper has no arXiv id. */
  arxiv: 'papers-arxiv.col',
  /** Int32, UNKNOWN_YEAR where the year is not known. */
  years: 'papers-years.i32',
  /** Sorted key tables for finding papers by id, name and arXiv id (key-index.ts). */
  byId: 'papers-by-id.keys',
  byName: 'papers-by-name.keys',
  byArxiv: 'papers-by-arxiv.keys',
};
const UNKNOWN_YEAR = -(2 ** 31);

export async function savePaperFile(buildDir: string, papers: StoredPaper[]): Promise<void> {
  const file = (name: keyof typeof FILES) => path.join(buildDir, FILES[name]);
  const offsets = new Float64Array(papers.length + 1);
  const records = fs.createWriteStream(file('records'));
  let at = 0;
  for (let label = 0; label < papers.length; label++) {
    const bytes = Buffer.from(JSON.stringify(papers[label]));
    at += bytes.length;
    offsets[label + 1] = at;
    if (!records.write(bytes)) await new Promise<void>((resolve) => records.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => records.end((err?: Error | null) => (err ? reject(err) : resolve())));
  await fsp.writeFile(file('offsets'), new Uint8Array(offsets.buffer));
  await writeStringColumn(file('ids'), papers.map((p) => p.id));
  await writeStringColumn(file('titles'), papers.map((p) => p.title));
  const fields = memoryFields(papers);
  await writeStringColumn(file('names'), papers.map((_, label) => fields.nameKeys(label).join('\n')));
  await writeStringColumn(file('arxiv'), papers.map((_, label) => fields.arxivId(label) ?? ''));
  await fsp.writeFile(file('years'), new Uint8Array(Int32Array.from(papers, (p) => p.year ?? UNKNOWN_YEAR).buffer));
  const keys = keysOf(fields);
  await saveKeyTable(file('byId'), buildKeyTable(papers.length, keys.id));
  await saveKeyTable(file('byName'), buildKeyTable(papers.length, keys.name));
  await saveKeyTable(file('byArxiv'), buildKeyTable(papers.length, keys.arxiv));
}

/** Opens a build's paper file; its descriptor stays open until `close()`. */
export async function openPaperFile(buildDir: string): Promise<PaperStore> {
  const file = (name: keyof typeof FILES) => path.join(buildDir, FILES[name]);
  const read = async <T>(load: () => Promise<T>): Promise<T> =>
    load().catch((err) => {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new PaperscopeError('INDEX_CORRUPT', `${buildDir} has no paper file; re-run the indexer`, { buildDir });
      throw err;
    });
  const [offsetBytes, yearBytes, ids, titles, names, arxiv, byId, byName, byArxiv] = await Promise.all([
    read(() => fsp.readFile(file('offsets'))),
    read(() => fsp.readFile(file('years'))),
    read(() => readStringColumn(file('ids'))),
    read(() => readStringColumn(file('titles'))),
    read(() => readStringColumn(file('names'))),
    read(() => readStringColumn(file('arxiv'))),
    read(() => loadKeyTable(file('byId'))),
    read(() => loadKeyTable(file('byName'))),
    read(() => loadKeyTable(file('byArxiv'))),
  ]);
  const offsetData = aligned(offsetBytes);
  const yearData = aligned(yearBytes);
  const offsets = new Float64Array(offsetData.buffer, offsetData.byteOffset, offsetData.length / 8);
  const years = new Int32Array(yearData.buffer, yearData.byteOffset, yearData.length / 4);
  const size = ids.size;
  if ([offsets.length - 1, years.length, titles.size, names.size, arxiv.size].some((n) => n !== size)) {
    throw new PaperscopeError('INDEX_CORRUPT', `The paper file in ${buildDir} lists ${size} papers but has ${offsets.length - 1} records; re-run the indexer`, { buildDir });
  }
  const fd = fs.openSync(file('records'), 'r');
  const store = {
    size,
    id: (label: number) => ids.get(label),
    title: (label: number) => titles.get(label),
    year: (label: number) => (years[label] === UNKNOWN_YEAR ? null : years[label]),
    nameKeys: (label: number) => names.get(label).split('\n').filter(Boolean),
    arxivId: (label: number) => arxiv.get(label) || null,
    get(label: number) {
      const start = offsets[label];
      const bytes = Buffer.allocUnsafe(offsets[label + 1] - start);
      // Short only if the file changed under the server: an error, not a record of stale memory.
      if (fs.readSync(fd, bytes, 0, bytes.length, start) !== bytes.length) {
        throw new PaperscopeError('INDEX_CORRUPT', `${file('records')} is shorter than its offsets say (changed while being served)`, { buildDir, file: FILES.records });
      }
      return JSON.parse(bytes.toString('utf8')) as StoredPaper;
    },
    close: () => fs.closeSync(fd),
  };
  const keys = keysOf(store);
  return { ...store, find: { id: keyIndex(byId, keys.id), name: keyIndex(byName, keys.name), arxiv: keyIndex(byArxiv, keys.arxiv) } };
}

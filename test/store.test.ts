import fs from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANN_THREAD_FROM, annSearch, buildAnnIndex, buildAnnIndexInWorker, loadAnnIndex, readAnnLabels, saveAnnIndex, DEFAULT_ANN_PARAMS } from '../src/store/ann-index.ts';
import { readPapersTable, writePapersTable, type PaperRow } from '../src/store/papers-table.ts';
import { createBuildDir, currentBuildDir, publishBuild } from '../src/store/build-dir.ts';
import { l2normalize } from '../src/embed/embedder.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { buildKeywordIndex, indexTerms, keywordIndexFrom, termWeights } from '../src/search/keyword-index.ts';
import { loadKeywordPostings, saveKeywordPostings } from '../src/store/keyword-file.ts';
import { tokenize } from '../src/text/tokenize.ts';
import { openPaperFile, savePaperFile } from '../src/store/paper-file.ts';
import { allPapers, memoryPaperStore } from '../src/store/paper-store.ts';
import { paperNameKeys } from '../src/search/paper-names.ts';
import { buildKeyTable, hashKey, keyIndex, loadKeyTable, saveKeyTable } from '../src/store/key-index.ts';
import { openVectorFile, saveVectorFile } from '../src/store/vector-file.ts';

function randomVector(dim: number, seed: number): Float32Array {
  let s = seed;
  const v = new Float32Array(dim);
  for (let i = 0; i < dim; i++) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    v[i] = s / 2 ** 31 - 0.5;
  }
  return l2normalize(v);
}

const rows: PaperRow[] = Array.from({ length: 50 }, (_, i) => ({
  paper: {
    id: `p${i}`,
    title: `Paper ${i}`,
    abstract: i % 2 ? `Abstract ${i}` : '',
    authors: i % 3 ? [`Author ${i}`, 'B. Coauthor'] : [],
    year: i % 4 ? 2000 + i : null,
    date: i % 4 ? `${2000 + i}-01-0${(i % 9) + 1}` : null,
    categories: i % 5 ? ['cs.LG', 'cs.CV'] : [],
    url: i % 2 ? `https://arxiv.org/abs/${i}` : null,
    source: 'generic',
    contentHash: `hash${i}`,
  },
  vector: randomVector(16, i + 1),
}));

describe('LanceDB papers table', () => {
  it('round-trips every field and float32 vectors in order', async () => {
    const dir = await tempDir();
    await writePapersTable(dir, rows, 16);
    const back = await readPapersTable(dir);
    expect(back.map((r) => r.paper)).toEqual(rows.map((r) => r.paper));
    back.forEach((r, i) => {
      expect(r.vector).toBeInstanceOf(Float32Array);
      expect(Array.from(r.vector)).toEqual(Array.from(rows[i].vector));
    });
  });
});

describe('hnswlib index', () => {
  it('finds each vector as its own nearest neighbour after save and load', async () => {
    const dir = await tempDir();
    const vectors = rows.map((r) => r.vector);
    await saveAnnIndex(dir, buildAnnIndex(vectors, 16), rows.map((r) => r.paper.id));
    expect(await readAnnLabels(dir)).toEqual(rows.map((r) => r.paper.id));
    const ann = await loadAnnIndex(dir, 16, DEFAULT_ANN_PARAMS);
    expect(ann.getCurrentCount()).toBe(50);
    vectors.forEach((v, label) => {
      const [top] = annSearch(ann, v, 3);
      expect(top.label).toBe(label);
      expect(top.score).toBeCloseTo(1, 5);
    });
    const filtered = annSearch(ann, vectors[7], 5, (label) => label % 2 === 0);
    expect(filtered.map((h) => h.label % 2)).toEqual([0, 0, 0, 0, 0]);
  });

  it('the indexer\'s build (on a thread from ANN_THREAD_FROM vectors, in place below) writes the same graph as a build here', async () => {
    for (const n of [ANN_THREAD_FROM - 1, ANN_THREAD_FROM]) {
      const vectors = Array.from({ length: n }, (_, i) => randomVector(16, i + 1));
      const ids = vectors.map((_, i) => `p${i}`);
      const [built, here] = [await tempDir(), await tempDir()];
      await buildAnnIndexInWorker(built, vectors, 16, ids);
      await saveAnnIndex(here, buildAnnIndex(vectors, 16), ids);
      expect(await fs.readFile(path.join(built, 'ann.hnsw')), `${n} vectors`).toEqual(await fs.readFile(path.join(here, 'ann.hnsw')));
      expect(await readAnnLabels(built)).toEqual(ids);
    }
  });
});

describe('vector file', () => {
  it('reads back each row exactly and refuses a file of the wrong size', async () => {
    const dir = await tempDir();
    const vectors = Array.from({ length: 5000 }, (_, i) => Float32Array.from({ length: 8 }, (_, d) => i + d / 10));
    await saveVectorFile(dir, vectors, 8);
    const file = openVectorFile(dir, 8, 5000);
    for (const label of [0, 1, 4095, 4096, 4999]) expect(Array.from(file.get(label))).toEqual(Array.from(vectors[label]));
    expect(() => openVectorFile(dir, 8, 5001)).toThrow(expect.objectContaining({ code: 'INDEX_CORRUPT' }));
    expect(() => openVectorFile(path.join(dir, 'missing'), 8, 5000)).toThrow(/no vector file/);
  });
});

describe('stored keyword postings', () => {
  it('load back into an index that ranks exactly like a freshly built one', async () => {
    const dir = await tempDir();
    const docs = [
      { title: 'Point cloud segmentation', abstract: 'We segment 3D point clouds with graph networks.' },
      { title: 'Neural architecture search', abstract: 'Searching architectures with weight sharing; point estimates.' },
      { title: 'Protein folding', abstract: 'Structure prediction for proteins.' },
    ];
    await saveKeywordPostings(dir, indexTerms(docs));
    const loaded = keywordIndexFrom(await loadKeywordPostings(dir), (doc) => docs[doc]);
    const fresh = buildKeywordIndex(docs);
    for (const q of ['point cloud', 'architecture search', 'proteins', 'graph point']) {
      const terms = termWeights(tokenize(q));
      expect(loaded.search(terms, 10)).toEqual(fresh.search(terms, 10));
    }
    expect(loaded.search(termWeights(tokenize('point cloud')), 10)[0].doc).toBe(0);
    expect(loaded.idf('point')).toBeCloseTo(fresh.idf('point'), 10);
  });
});

describe('paper file', () => {
  it('reads back every record, and the resident ids, titles, years, name keys and arXiv ids, in label order', async () => {
    const dir = await tempDir();
    const papers = [
      ...rows.map((r) => r.paper),
      { ...rows[1].paper, id: 'ulip', title: 'ULIP: Learning a Unified Représentation — 3D “point clouds” 🚀', abstract: 'Ünïcödé ½ text\nwith a newline', url: 'https://arxiv.org/abs/2212.05171v2' },
    ];
    await savePaperFile(dir, papers);
    const store = await openPaperFile(dir);
    expect(store.size).toBe(papers.length);
    expect(allPapers(store)).toEqual(papers);
    const last = papers.length - 1;
    expect([store.id(last), store.title(last), store.year(last)]).toEqual(['ulip', papers[last].title, papers[last].year]);
    expect(store.year(0)).toBeNull();
    expect(store.nameKeys(last)).toEqual(paperNameKeys(papers[last].title));
    expect(store.nameKeys(last)).toContain('ulip');
    expect(store.arxivId(last)).toBe('2212.05171');
    expect(store.arxivId(0)).toBeNull();
    expect(store.find.id.lookup('ulip')).toEqual([last]);
    expect(store.find.name.lookup('ulip')).toEqual([last]);
    expect(store.find.arxiv.lookup('2212.05171')).toEqual([last]);
    expect(store.find.id.lookup('p7')).toEqual([7]);
    // The in-memory store answers the same for every label.
    const memory = memoryPaperStore(papers);
    for (let label = 0; label < papers.length; label++) {
      expect([memory.id(label), memory.title(label), memory.year(label), memory.nameKeys(label), memory.arxivId(label)]).toEqual([
        store.id(label), store.title(label), store.year(label), store.nameKeys(label), store.arxivId(label),
      ]);
    }
  });

  it('is a clear INDEX_CORRUPT error when missing or when its parts disagree', async () => {
    const dir = await tempDir();
    await expect(openPaperFile(dir)).rejects.toMatchObject({ code: 'INDEX_CORRUPT', message: expect.stringMatching(/no paper file; re-run the indexer/) });
    await savePaperFile(dir, rows.map((r) => r.paper));
    await fs.writeFile(path.join(dir, 'papers.offsets'), new Uint8Array(new Float64Array(3).buffer));
    await expect(openPaperFile(dir)).rejects.toMatchObject({ code: 'INDEX_CORRUPT', message: expect.stringMatching(/lists 50 papers but has 2 records/) });
  });
});

describe('key index', () => {
  it('finds every label holding a key and never one that only shares its hash', () => {
    const keys: Record<number, string[]> = { 0: ['ulip', 'ulip learning'], 1: ['bert'], 2: ['ulip'], 3: [] };
    const table = buildKeyTable(4, (l) => keys[l]);
    const index = keyIndex(table, (l) => keys[l]);
    expect(index.lookup('ulip')).toEqual([0, 2]);
    expect(index.lookup('bert')).toEqual([1]);
    expect(index.lookup('nothing')).toEqual([]);
    // A table in which label 1 sits under the hash of "ulip": the check against its real keys drops it.
    const collided = keyIndex({ hashes: Uint32Array.of(hashKey('ulip'), hashKey('ulip')), labels: Int32Array.of(0, 1) }, (l) => keys[l]);
    expect(collided.lookup('ulip')).toEqual([0]);
  });

  it('reads back from its file', async () => {
    const dir = await tempDir();
    const table = buildKeyTable(3, (l) => [`key-${l}`]);
    await saveKeyTable(path.join(dir, 't.keys'), table);
    const loaded = await loadKeyTable(path.join(dir, 't.keys'));
    expect([Array.from(loaded.hashes), Array.from(loaded.labels)]).toEqual([Array.from(table.hashes), Array.from(table.labels)]);
  });
});

describe('build folders', () => {
  it('publishes atomically and keeps only the current and previous builds', async () => {
    const indexDir = await tempDir();
    expect(await currentBuildDir(indexDir)).toBeNull();
    const builds = [];
    for (let i = 0; i < 3; i++) {
      const b = await createBuildDir(indexDir);
      // A manifest marks a build complete (it is written last); the garbage collector keeps complete builds only.
      await fs.writeFile(path.join(b, 'manifest.json'), String(i));
      await publishBuild(indexDir, b);
      builds.push(b);
      expect(await currentBuildDir(indexDir)).toBe(b);
    }
    const left = await fs.readdir(path.join(indexDir, 'builds'));
    expect(left.sort()).toEqual([path.basename(builds[1]), path.basename(builds[2])].sort());
    expect((await fs.readdir(indexDir)).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});

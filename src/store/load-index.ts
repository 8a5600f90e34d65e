import type { StoredPaper } from '../types.ts';
import { PaperscopeError } from '../errors.ts';
import { annSearch, loadAnnIndex, readAnnLabels, type AnnIndex } from './ann-index.ts';
import { currentBuildDir } from './build-dir.ts';
import { readManifest, type Manifest } from './manifest.ts';
import { readPapers } from './papers-table.ts';
import { keywordIndexFrom, type KeywordIndex } from '../search/keyword-index.ts';
import { loadKeywordPostings } from './keyword-file.ts';
import { buildPaperNameIndex, type PaperNameIndex } from '../search/paper-names.ts';
import { loadTopics, type LoadedTopics } from '../topics/topic-files.ts';

/**
 * Everything the service answers from, resident in memory. Vectors live once,
 * inside the hnswlib graph; `vector(label)` reads them back from there.
 */
export interface SearchIndex {
  buildDir: string;
  manifest: Manifest;
  /** Row i of the papers table is ANN label i. */
  papers: StoredPaper[];
  labelOf: Map<string, number>;
  ann: AnnIndex;
  keyword: KeywordIndex;
  names: PaperNameIndex;
  vector(label: number): Float32Array;
  nearest(query: Float32Array, k: number, filter?: (label: number) => boolean): { label: number; score: number }[];
  /** Topics and the 2-D map computed at index time; absent for builds without them. */
  topics?: LoadedTopics | null;
}

export function createSearchIndex(buildDir: string, manifest: Manifest, papers: StoredPaper[], ann: AnnIndex, keyword: KeywordIndex): SearchIndex {
  return {
    buildDir,
    manifest,
    papers,
    labelOf: new Map(papers.map((p, i) => [p.id, i])),
    ann,
    keyword,
    names: buildPaperNameIndex(papers.map((p) => p.title)),
    vector: (label) => Float32Array.from(ann.getPoint(label)),
    nearest: (query, k, filter) => annSearch(ann, query, k, filter),
  };
}

/** Loads the current build of INDEX_DIR; a missing index is a clear error, not a crash. */
export async function loadIndex(indexDir: string): Promise<SearchIndex> {
  const buildDir = await currentBuildDir(indexDir);
  if (!buildDir) {
    throw new PaperscopeError('INDEX_MISSING', `No index in ${indexDir}. Build one with: npm run index`, { indexDir });
  }
  const manifest = await readManifest(buildDir);
  const papers = await readPapers(buildDir);
  if (papers.length !== manifest.count) {
    throw new PaperscopeError('INDEX_CORRUPT', `The papers table in ${buildDir} holds ${papers.length} papers, the manifest says ${manifest.count}`, { buildDir });
  }
  const labels = await readAnnLabels(buildDir);
  // Reading the table back in another order would silently pair papers with the wrong vectors.
  if (labels.length !== papers.length || labels.some((id, label) => papers[label].id !== id)) {
    throw new PaperscopeError('INDEX_CORRUPT', `The ANN labels in ${buildDir} do not match the papers table; re-run the indexer`, { buildDir });
  }
  const ann = await loadAnnIndex(buildDir, manifest.dimension, manifest.ann);
  const keyword = keywordIndexFrom(await loadKeywordPostings(buildDir), papers);
  return { ...createSearchIndex(buildDir, manifest, papers, ann, keyword), topics: await loadTopics(buildDir) };
}

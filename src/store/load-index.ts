import { PaperscopeError } from '../errors.ts';
import { annSearch, loadAnnIndex, readAnnLabels, type AnnIndex } from './ann-index.ts';
import path from 'node:path';
import { assertNoUnpublishedBuilds, currentBuildDir, inspectIndexDir } from './build-dir.ts';
import { readManifest, type Manifest } from './manifest.ts';
import { verifyBuildFiles } from './build-files.ts';
import { openPaperFile } from './paper-file.ts';
import { openVectorFile, type VectorSource } from './vector-file.ts';
import type { PaperStore } from './paper-store.ts';
import { keywordIndexFrom, type KeywordIndex, type KeywordPostings } from '../search/keyword-index.ts';
import { loadKeywordPostings } from './keyword-file.ts';
import { paperNameIndex, type PaperNameIndex } from '../search/paper-names.ts';
import { sentenceIndex, type SentenceIndex } from '../search/best-sentence.ts';
import type { KeyIndex } from './key-index.ts';
import { loadTopics, type LoadedTopics } from '../topics/topic-files.ts';
import { loadSpelling } from './spelling-file.ts';
import { spellingIndex, type SpellingIndex } from '../text/spelling.ts';

/**
 * Everything the service answers from. In memory, vectors live once, inside
 * the hnswlib graph; `vector(label)` reads a paper's from the build's vector file.
 */
export interface SearchIndex {
  buildDir: string;
  manifest: Manifest;
  /** Label i is row i of the papers table. */
  papers: PaperStore;
  labelOf: LabelLookup;
  /** Papers by arXiv id, from their id or their url. */
  labelOfArxiv: LabelLookup;
  ann: AnnIndex;
  keyword: KeywordIndex;
  names: PaperNameIndex;
  sentences: SentenceIndex;
  vector(label: number): Float32Array;
  nearest(query: Float32Array, k: number, filter?: (label: number) => boolean): { label: number; score: number }[];
  /** Topics and the 2-D map computed at index time; absent for builds without them. */
  topics?: LoadedTopics | null;
  /** The collection's vocabulary for typo correction; absent for builds without one. */
  spelling?: SpellingIndex | null;
  /** Frees the build's open files; called once its last request has ended after a live swap. */
  close(): void;
}

/** The label of the paper with a key (ids are unique; of arXiv ids the first is taken). */
export interface LabelLookup {
  get(key: string): number | undefined;
}

export function createSearchIndex(buildDir: string, manifest: Manifest, papers: PaperStore, ann: AnnIndex, keyword: KeywordIndex, vectors: VectorSource): SearchIndex {
  const lookup = (index: KeyIndex): LabelLookup => ({ get: (key) => index.lookup(key)[0] });
  return {
    buildDir,
    manifest,
    papers,
    labelOf: lookup(papers.find.id),
    labelOfArxiv: lookup(papers.find.arxiv),
    ann,
    keyword,
    names: paperNameIndex(papers.find.name),
    sentences: sentenceIndex(keyword, (label) => papers.get(label)),
    vector: (label) => vectors.get(label),
    nearest: (query, k, filter) => annSearch(ann, query, k, filter),
    close() {
      papers.close();
      vectors.close();
    },
  };
}

/** The current build of INDEX_DIR; a missing or unpublished index is a clear error, not a crash. */
export async function requireBuildDir(indexDir: string): Promise<string> {
  const state = await inspectIndexDir(indexDir);
  if (state.current) return state.current;
  await assertNoUnpublishedBuilds(indexDir);
  const named = await currentBuildDir(indexDir);
  const why = named ? `its CURRENT names ${path.basename(named)}, which is not a complete build` : 'it has no CURRENT file';
  throw new PaperscopeError('INDEX_MISSING', `No index in ${indexDir}: ${why}. Build one with: npm run index -- --out ${indexDir}`, { indexDir });
}

export async function loadIndex(indexDir: string): Promise<SearchIndex> {
  return loadBuild(await requireBuildDir(indexDir));
}

export interface LoadOptions {
  /**
   * Check every file's size and checksum against the manifest (default). A
   * query thread skips it: the main thread verified the same build before
   * asking the threads to load it.
   */
  verify?: boolean;
  /** Load the topics and the 2-D map (default); a query thread only searches, so it leaves them out. */
  topics?: boolean;
}

export async function loadBuild(buildDir: string, { verify = true, topics: withTopics = true }: LoadOptions = {}): Promise<SearchIndex> {
  const manifest = await readManifest(buildDir);
  if (verify) await verifyBuildFiles(buildDir, manifest.files ?? {});
  const opening = openPaperFile(buildDir);
  try {
    // The graph is read on libuv's thread pool, so the other files load meanwhile.
    const [papers, labels, ann, postings, topics, spelling] = await Promise.all([
      opening,
      readAnnLabels(buildDir),
      loadAnnIndex(buildDir, manifest.dimension, manifest.ann),
      loadKeywordPostings(buildDir),
      withTopics ? loadTopics(buildDir) : null,
      loadSpelling(buildDir),
    ]);
    return { ...assemble(buildDir, manifest, papers, labels, ann, postings), topics, spelling: spelling && spellingIndex(spelling) };
  } catch (err) {
    // A build that fails to load must not keep files open: a live server refuses it and goes on serving for days.
    opening.then((papers) => papers.close(), () => {});
    throw err;
  }
}

function assemble(buildDir: string, manifest: Manifest, papers: PaperStore, labels: string[], ann: AnnIndex, postings: KeywordPostings): SearchIndex {
  if (papers.size !== manifest.count) {
    throw new PaperscopeError('INDEX_CORRUPT', `The paper file in ${buildDir} holds ${papers.size} papers, the manifest says ${manifest.count}`, { buildDir });
  }
  // Papers and graph points paired in another order would silently answer with the wrong papers.
  if (labels.length !== papers.size || labels.some((id, label) => papers.id(label) !== id)) {
    throw new PaperscopeError('INDEX_CORRUPT', `The ANN labels in ${buildDir} do not match the papers; re-run the indexer`, { buildDir });
  }
  const keyword = keywordIndexFrom(postings, (doc) => papers.get(doc));
  return createSearchIndex(buildDir, manifest, papers, ann, keyword, openVectorFile(buildDir, manifest.dimension, manifest.count));
}

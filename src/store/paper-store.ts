import type { StoredPaper } from '../types.ts';
import { paperNameKeys } from '../search/paper-names.ts';
import { arxivIdOf } from '../text/arxiv-id.ts';

/**
 * The papers of an index, by label (label i is row i of the papers table and
 * point i of the ANN graph). What ranking, filters and names touch for many
 * papers per query stays resident; whole records are read one at a time.
 */
export interface PaperStore {
  readonly size: number;
  id(label: number): string;
  title(label: number): string;
  year(label: number): number | null;
  /** The keys a user can name the paper by (see paper-names.ts). */
  nameKeys(label: number): string[];
  /** Its arXiv identifier, from its id or its url, when it has one. */
  arxivId(label: number): string | null;
  /** The whole record. */
  get(label: number): StoredPaper;
}

/** Papers already in memory: the evaluation's corpora and freshly built indexes. */
export function memoryPaperStore(papers: StoredPaper[]): PaperStore {
  return {
    size: papers.length,
    id: (label) => papers[label].id,
    title: (label) => papers[label].title,
    year: (label) => papers[label].year,
    nameKeys: (label) => paperNameKeys(papers[label].title),
    arxivId: (label) => arxivIdOf(papers[label]),
    get: (label) => papers[label],
  };
}

/** Every label's paper, in label order; for small indexes and tests, never on a request path. */
export function allPapers(store: PaperStore): StoredPaper[] {
  return Array.from({ length: store.size }, (_, label) => store.get(label));
}

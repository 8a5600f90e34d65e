import type { StoredPaper } from '../types.ts';
import { paperNameKeys } from '../search/paper-names.ts';
import { arxivIdOf } from '../text/arxiv-id.ts';
import { buildKeyTable, keyIndex, type KeyIndex } from './key-index.ts';

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
  /** Labels by id, by name key and by arXiv id. */
  find: PaperKeys;
  /** Frees what the store holds open (a file descriptor), when a live swap retires its build. */
  close(): void;
}

export interface PaperKeys {
  id: KeyIndex;
  name: KeyIndex;
  arxiv: KeyIndex;
}

/** How each lookup reads a label's own keys, to build its table and to check what a lookup finds. */
export function keysOf(store: Omit<PaperStore, 'find'>): Record<keyof PaperKeys, (label: number) => string[]> {
  return {
    id: (label) => [store.id(label)],
    name: (label) => store.nameKeys(label),
    arxiv: (label) => {
      const arxiv = store.arxivId(label);
      return arxiv ? [arxiv] : [];
    },
  };
}

/** A store's fields over papers in memory, without its lookups. */
export function memoryFields(papers: StoredPaper[]): Omit<PaperStore, 'find'> {
  const names = papers.map((p) => paperNameKeys(p.title));
  return {
    size: papers.length,
    id: (label: number) => papers[label].id,
    title: (label: number) => papers[label].title,
    year: (label: number) => papers[label].year,
    nameKeys: (label: number) => names[label],
    arxivId: (label: number) => arxivIdOf(papers[label]),
    get: (label: number) => papers[label],
    close: () => {},
  };
}

/** Papers already in memory: the evaluation's corpora. */
export function memoryPaperStore(papers: StoredPaper[]): PaperStore {
  const store = memoryFields(papers);
  const keys = keysOf(store);
  const index = (kind: keyof PaperKeys) => keyIndex(buildKeyTable(store.size, keys[kind]), keys[kind]);
  return { ...store, find: { id: index('id'), name: index('name'), arxiv: index('arxiv') } };
}

/** Every label's paper, in label order; for small indexes and tests, never on a request path. */
export function allPapers(store: PaperStore): StoredPaper[] {
  return Array.from({ length: store.size }, (_, label) => store.get(label));
}

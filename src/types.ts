/** Longest paper id the API accepts; the indexer skips longer ones, which could never be fetched. */
export const PAPER_ID_MAX_LENGTH = 200;

/** A paper as the indexer hands it to the store: normalized, with a stable id. */
export interface Paper {
  id: string;
  title: string;
  abstract: string;
  authors: string[];
  /** Publication year, when known. */
  year: number | null;
  /** ISO date (YYYY-MM-DD) or a partial date as the source gave it, when known. */
  date: string | null;
  categories: string[];
  url: string | null;
  /** Which reader produced the record, e.g. "arxiv", "hf-daily-page". */
  source: string;
}

/** A paper as stored: with the hash of the text that was embedded. */
export interface StoredPaper extends Paper {
  contentHash: string;
}

/** The short form that search, similar, related and topic results carry. */
export interface PaperHit {
  id: string;
  title: string;
  authors: string[];
  year: number | null;
  date: string | null;
  url: string | null;
  snippet: string;
  /** How much of the query the paper holds, 0–1 (search/confidence.ts); the same scale in every endpoint. */
  score: number;
  match: 'strong' | 'weak' | 'none';
}

export type SearchMode = 'hybrid' | 'semantic' | 'keyword';

/** Results by relevance, or every matching paper newest first. */
export type SearchSort = 'relevance' | 'newest';

import { PAPER_ID_MAX_LENGTH, type Paper } from '../../src/types.ts';
import type { ReadIssue } from './types.ts';

/**
 * Bounds on what one record may bring into an index. A 20 MB abstract once ran
 * the indexer to 3.4 GB (every window embedded, every word posted); an id the
 * API cannot take is a paper nobody can fetch. Oversized records are skipped,
 * over-long abstracts cut at a word, each reported with its file and line.
 */
export interface InputLimits {
  /** UTF-8 bytes of a record's text fields together; larger records are skipped. */
  maxRecordBytes: number;
  /** Characters of an abstract; longer ones are truncated with a warning. */
  maxAbstractChars: number;
}

export const DEFAULT_INPUT_LIMITS: InputLimits = { maxRecordBytes: 1_000_000, maxAbstractChars: 20_000 };

export type LimitCheck = { paper: Paper; warning?: string } | { skip: string };

function recordBytes(p: Paper): number {
  return [p.id, p.title, p.abstract, p.date ?? '', p.url ?? '', ...p.authors, ...p.categories].reduce((n, s) => n + Buffer.byteLength(s), 0);
}

export function applyLimits(paper: Paper, limits: InputLimits): LimitCheck {
  if (paper.id.length > PAPER_ID_MAX_LENGTH) {
    return { skip: `id of ${paper.id.length} characters is longer than the API's limit of ${PAPER_ID_MAX_LENGTH}; the paper could never be fetched` };
  }
  const bytes = recordBytes(paper);
  if (bytes > limits.maxRecordBytes) return { skip: `record of ${bytes} bytes is larger than the limit of ${limits.maxRecordBytes} (--max-record-bytes)` };
  if (paper.abstract.length <= limits.maxAbstractChars) return { paper };
  const cut = paper.abstract.slice(0, limits.maxAbstractChars);
  const atWord = cut.slice(0, Math.max(cut.lastIndexOf(' '), Math.floor(limits.maxAbstractChars * 0.9)));
  return {
    paper: { ...paper, abstract: atWord },
    warning: `abstract of ${paper.abstract.length} characters truncated to ${atWord.length} (--max-abstract-chars ${limits.maxAbstractChars})`,
  };
}

/** A file's issue for a paper, labelled like the readers' own. */
export function issueFor(file: string, line: number | null, paper: Paper, reason: string): ReadIssue {
  return { file, line, record: paper.id, reason };
}

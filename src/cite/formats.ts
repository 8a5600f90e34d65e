import type { PaperView } from '../search/get-paper.ts';
import { citable } from './citable.ts';
import { toBibtex } from './bibtex.ts';
import { toCsl } from './csl.ts';
import { toRis } from './ris.ts';

/** The citation formats, each with its media type and file extension; one table serves the API, the page and the tests. */
export const CITATION_FORMATS = {
  bibtex: { label: 'BibTeX', type: 'application/x-bibtex; charset=utf-8', extension: 'bib', write: toBibtex },
  ris: { label: 'RIS', type: 'application/x-research-info-systems; charset=utf-8', extension: 'ris', write: toRis },
  csl: { label: 'CSL-JSON', type: 'application/vnd.citationstyles.csl+json; charset=utf-8', extension: 'json', write: (papers) => `${JSON.stringify(papers.map(toCsl), null, 2)}\n` },
} as const satisfies Record<string, { label: string; type: string; extension: string; write: (papers: ReturnType<typeof citable>[]) => string }>;

export type CitationFormat = keyof typeof CITATION_FORMATS;

/** Papers in one citation format. */
export function formatCitations(papers: PaperView[], format: CitationFormat): string {
  return CITATION_FORMATS[format].write(papers.map(citable));
}

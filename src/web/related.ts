import type { SearchContext } from '../search/context.ts';
import { PaperscopeError } from '../errors.ts';
import { similar } from '../search/similar.ts';
import { findByTitle } from '../search/title-match.ts';
import { paperLink } from './paper-link.ts';

export interface PaperKey {
  id?: string;
  title?: string;
  arxivId?: string;
}

/** The widget names its paper by id, by arXiv id or by title (full title, short name before the colon, or the title written slightly differently). */
export function resolvePaper(ctx: SearchContext, key: PaperKey): number {
  const { index } = ctx;
  let label: number | undefined;
  if (key.id) label = index.labelOf.get(key.id);
  else if (key.arxivId) {
    const wanted = key.arxivId.trim().replace(/^arxiv:/i, '').replace(/v\d+$/, '');
    label = index.labelOf.get(wanted) ?? index.labelOfArxiv.get(wanted);
  } else if (key.title) label = findByTitle(index, key.title);
  if (label === undefined || label < 0) {
    throw new PaperscopeError('PAPER_NOT_FOUND', 'No paper matches the given id, arXiv id or title', { ...key });
  }
  return label;
}

export interface RelatedPaper {
  id: string;
  title: string;
  authors: string[];
  year: number | null;
  link: string | null;
}

/** A paper and the papers most similar to it (hybrid "more like this"), with links out. */
export async function relatedPapers(ctx: SearchContext, label: number, k: number): Promise<{ paper: RelatedPaper; related: RelatedPaper[] }> {
  const p = ctx.index.papers.get(label);
  const { results } = await similar(ctx, { positive: [p.id], negative: [], k, mode: 'hybrid' });
  const view = (x: { id: string; title: string; authors: string[]; year: number | null; url: string | null }): RelatedPaper => ({
    id: x.id,
    title: x.title,
    authors: x.authors,
    year: x.year,
    link: paperLink(x),
  });
  return { paper: view(p), related: results.map(view) };
}

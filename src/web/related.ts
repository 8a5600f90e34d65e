import type { SearchContext } from '../search/context.ts';
import type { PaperHit } from '../types.ts';
import { PaperscopeError } from '../errors.ts';
import { similar } from '../search/similar.ts';
import { findByTitle } from '../search/title-match.ts';
import { arxivIdOf } from '../text/arxiv-id.ts';
import { webUrl } from '../text/web-url.ts';

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
  date: string | null;
  /** Where the widget's title leads (linkOf): the `url` field, as in every result. */
  url: string;
}

/** Where the widget's titles lead: the paper on arXiv (or its own page) by default, or its Paperscope page. */
export type LinkTarget = 'arxiv' | 'paperscope';

/**
 * A related paper must also be among the paper's nearest neighbours by
 * meaning: NEIGHBOUR_SHARE of the collection, at least MIN_NEIGHBOURS. The
 * "more like this" ranking leans on shared words (its keyword side weighs 0.9),
 * so papers with long, generic abstracts ("language", "model", "dataset")
 * were related to everything: over the top 5 of the 41 seed papers in the
 * 2,041-paper sample, the 3D papers ULIP and ULIP-2 appeared 22 times in lists
 * of papers on other subjects (language models, model tooling, theory), and 9
 * times with this filter; every list stayed full (no paper from physics or
 * mathematics was in any top 5, before or after). Fewer papers are shown when
 * fewer pass.
 */
const NEIGHBOUR_SHARE = 0.01;
const MIN_NEIGHBOURS = 10;

function neighbourhood(ctx: SearchContext, label: number): (l: number) => boolean {
  const { index } = ctx;
  const n = Math.max(MIN_NEIGHBOURS, Math.round(NEIGHBOUR_SHARE * index.papers.size));
  const near = new Set(index.nearest(index.vector(label), n + 1).map((hit) => hit.label));
  return (l) => near.has(l);
}

function linkOf(paper: { id: string; url: string | null }, target: LinkTarget, publicUrl: string): string {
  const page = `${publicUrl}/paper/${encodeURIComponent(paper.id)}`;
  if (target === 'paperscope') return page;
  const arxiv = arxivIdOf(paper);
  return arxiv ? `https://arxiv.org/abs/${arxiv}` : (webUrl(paper.url) ?? page);
}

/** A paper and the papers most related to it (hybrid "more like this" among its neighbours), with links out. */
export async function relatedPapers(
  ctx: SearchContext,
  label: number,
  k: number,
  links: { target: LinkTarget; publicUrl: string },
): Promise<{ paper: RelatedPaper; related: (PaperHit & RelatedPaper)[] }> {
  const { id, title, authors, year, date, url } = ctx.index.papers.get(label);
  const { results } = await similar(ctx, { positive: [id], negative: [], k, mode: 'hybrid', filter: neighbourhood(ctx, label) });
  // Search's result fields, with the url the widget links to.
  const linked = <T extends { id: string; url: string | null }>(x: T): T & { url: string } => ({ ...x, url: linkOf(x, links.target, links.publicUrl) });
  return { paper: linked({ id, title, authors, year, date, url }), related: results.map(linked) };
}

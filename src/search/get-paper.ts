import type { Paper } from '../types.ts';
import type { SearchContext } from './context.ts';
import { PaperscopeError } from '../errors.ts';
import { webUrl } from '../text/web-url.ts';

export type PaperView = Omit<Paper, 'source'>;

export function getPaper(ctx: SearchContext, id: string): PaperView {
  const label = ctx.index.labelOf.get(id);
  if (label === undefined) throw new PaperscopeError('PAPER_NOT_FOUND', `No paper with id "${id}"`, { field: 'id', id });
  const { title, abstract, authors, year, date, categories, url } = ctx.index.papers.get(label);
  return { id, title, abstract, authors, year, date, categories, url: webUrl(url) };
}

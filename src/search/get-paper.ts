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

/** Several papers in the order asked; unknown ids are all named in one error. */
export function getPapers(ctx: SearchContext, ids: string[], field = 'ids'): PaperView[] {
  const missing = ids.filter((id) => ctx.index.labelOf.get(id) === undefined);
  if (missing.length) throw new PaperscopeError('PAPER_NOT_FOUND', `No paper with id ${missing.map((id) => `"${id}"`).join(', ')}`, { field, ids: missing });
  return ids.map((id) => getPaper(ctx, id));
}

import type { Citable } from './citable.ts';
import { splitName } from './citable.ts';

/** A CSL-JSON item (the citation-style language's data format, read by Zotero, Pandoc and citeproc). */
export interface CslItem {
  id: string;
  type: 'article';
  title: string;
  author: ({ given: string; family: string } | { literal: string })[];
  issued?: { 'date-parts': number[][] };
  abstract?: string;
  URL?: string;
  publisher?: string;
  number?: string;
  keyword?: string;
}

const cslName = (name: string): CslItem['author'][number] => splitName(name) ?? { literal: name };

/** CSL's "article" is its type for preprints and other unpublished articles. */
export function toCsl({ paper, dateParts, arxivId, url }: Citable): CslItem {
  const item: CslItem = { id: paper.id, type: 'article', title: paper.title, author: paper.authors.map(cslName) };
  if (dateParts.length) item.issued = { 'date-parts': [dateParts] };
  if (paper.abstract) item.abstract = paper.abstract;
  if (url) item.URL = url;
  if (arxivId) Object.assign(item, { publisher: 'arXiv', number: `arXiv:${arxivId}` });
  if (paper.categories.length) item.keyword = paper.categories.join(', ');
  return item;
}

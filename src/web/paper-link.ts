import { arxivIdOf } from '../text/arxiv-id.ts';
import { webUrl } from '../text/web-url.ts';

/** Where a reader goes to read the paper: its own http(s) url, else its arXiv page; null when neither is known. */
export function paperLink(paper: { id: string; url: string | null }): string | null {
  const own = webUrl(paper.url);
  if (own) return own;
  const arxiv = arxivIdOf(paper);
  return arxiv ? `https://arxiv.org/abs/${arxiv}` : null;
}

/** arXiv's abstract and PDF pages, when the paper has an arXiv id. */
export function arxivLinks(paper: { id: string; url: string | null }): { abs: string; pdf: string } | null {
  const arxiv = arxivIdOf(paper);
  return arxiv ? { abs: `https://arxiv.org/abs/${arxiv}`, pdf: `https://arxiv.org/pdf/${arxiv}` } : null;
}

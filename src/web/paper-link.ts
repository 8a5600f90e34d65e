import { arxivIdOf } from '../text/arxiv-id.ts';

/** Where a reader goes to read the paper: its own http(s) url, else its arXiv page; null when neither is known. */
export function paperLink(paper: { id: string; url: string | null }): string | null {
  // Only web links: a "javascript:" url in the data must never become a link.
  if (paper.url && /^https?:\/\//i.test(paper.url)) return paper.url;
  const arxiv = arxivIdOf(paper);
  return arxiv ? `https://arxiv.org/abs/${arxiv}` : null;
}

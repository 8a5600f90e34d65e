/** New-style (0704.0001) and old-style (hep-th/9901001) arXiv identifiers, with an optional version. */
const ARXIV_ID = /^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[a-z]{2})?\/\d{7})(?:v\d+)?$/i;
const ARXIV_URL = /arxiv\.org\/(?:abs|pdf)\/([^?#]+?)(?:\.pdf)?$/i;

export function arxivIdOf(paper: { id: string; url: string | null }): string | null {
  if (ARXIV_ID.test(paper.id)) return paper.id.replace(/v\d+$/, '');
  const m = paper.url ? ARXIV_URL.exec(paper.url) : null;
  return m ? m[1].replace(/v\d+$/, '') : null;
}

/** Where a reader goes to read the paper: its own http(s) url, else its arXiv page; null when neither is known. */
export function paperLink(paper: { id: string; url: string | null }): string | null {
  // Only web links: a "javascript:" url in the data must never become a link.
  if (paper.url && /^https?:\/\//i.test(paper.url)) return paper.url;
  const arxiv = arxivIdOf(paper);
  return arxiv ? `https://arxiv.org/abs/${arxiv}` : null;
}

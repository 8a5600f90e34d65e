/** New-style (0704.0001) and old-style (hep-th/9901001) arXiv identifiers, with an optional version. */
const ARXIV_ID = /^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[a-z]{2})?\/\d{7})(?:v\d+)?$/i;
const ARXIV_URL = /arxiv\.org\/(?:abs|pdf)\/([^?#]+?)(?:\.pdf)?$/i;

export function arxivIdOf(paper: { id: string; url: string | null }): string | null {
  if (ARXIV_ID.test(paper.id)) return paper.id.replace(/v\d+$/, '');
  const m = paper.url ? ARXIV_URL.exec(paper.url) : null;
  return m ? m[1].replace(/v\d+$/, '') : null;
}

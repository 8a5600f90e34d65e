import type { PaperHit } from '../types.ts';
import { displayDate } from './dates.ts';
import { RichText } from './rich-text.tsx';
import { arxivLinks, paperLink } from './paper-link.ts';

export const paperPath = (id: string) => `/paper/${encodeURIComponent(id)}`;

/** Authors (the first four, then "et al.") and the date, as much of it as is known. */
export function byline(authors: string[], year: number | null, date?: string | null): string {
  const names = authors.slice(0, 4).join(', ') + (authors.length > 4 ? ' et al.' : '');
  return [names, displayDate(date, year)].filter(Boolean).join(' · ');
}

/** Where to read a paper: arXiv's abstract and PDF pages, or its own link. */
export function ReadLinks({ paper }: { paper: { id: string; url: string | null } }) {
  const arxiv = arxivLinks(paper);
  if (arxiv) {
    return (
      <>
        <a href={arxiv.abs} rel="noopener noreferrer">arXiv</a>
        <a href={arxiv.pdf} rel="noopener noreferrer">PDF</a>
      </>
    );
  }
  const out = paperLink(paper);
  return out ? <a href={out} rel="noopener noreferrer">Source</a> : null;
}

/**
 * The library's "Save" toggle. It needs the browser's storage, so the script
 * reveals it; without script the page simply has no library.
 */
export function SaveButton({ id }: { id: string }) {
  return (
    <button type="button" class="save" data-id={id} aria-pressed="false" hidden>
      Save
    </button>
  );
}

/** A ranked list of papers: title to the paper view, byline, a "similar" link, links out, the matching passage. */
export function PaperList({ hits, terms, start = 1 }: { hits: PaperHit[]; terms: Set<string>; start?: number }) {
  return (
    <ol class="hits" start={start}>
      {hits.map((h) => (
        <li class="hit" data-id={h.id}>
          <a class="hit-title" href={paperPath(h.id)}>
            <RichText text={h.title} terms={terms} />
          </a>
          <div class="meta">
            {byline(h.authors, h.year, h.date) && <span>{byline(h.authors, h.year, h.date)}</span>}
            <a href={`${paperPath(h.id)}#similar`}>Similar</a>
            <ReadLinks paper={h} />
            <SaveButton id={h.id} />
          </div>
          {h.snippet && (
            <p class="snippet">
              <RichText text={h.snippet} terms={terms} />
            </p>
          )}
        </li>
      ))}
    </ol>
  );
}
